using TattooDirectory.Features.Alarms;

namespace TattooDirectory.Features.Admin.Dashboard;

/// <summary>The alarms the dashboard shows; <see cref="Unavailable"/> when they could not be read.</summary>
public sealed record AlarmsView(IReadOnlyList<AlarmDto> Alarms, bool Unavailable)
{
    public static readonly AlarmsView None = new([], false);
}

/// <summary>Reads every alarm's state for the dashboard, in the shape <c>GET /v1/admin/alarms</c> answers with.</summary>
public sealed class AlarmsFeed(AlarmEvaluator evaluator)
{
    public async Task<AlarmsView> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var statuses = await evaluator.ListAsync(cancellationToken);
            return new AlarmsView([.. statuses.Select(AlarmDto.From)], false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store being down must not take the dashboard with it; the panel says so instead.
            return new AlarmsView([], true);
        }
    }
}
