using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Deletes finished notifications older than 30 days, on start and then daily: messages can
/// carry a requester's contact details, which must not outlive that (product.md §8).
/// </summary>
internal sealed partial class NotificationRetention(SqliteTopic topic, TimeProvider time, ILogger<NotificationRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                await PruneAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity("notifications.prune");
        try
        {
            var pruned = await topic.PruneAsync(time.GetUtcNow() - Retention, ct);
            if (pruned > 0) LogPruned(logger, pruned);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Tried again at the next tick; a day's delay still keeps data well inside a month and a day.
            LogPruneFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} notifications past their retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning old notifications failed ({ErrorType}); retrying at the next daily run")]
    private static partial void LogPruneFailed(ILogger logger, string errorType);
}
