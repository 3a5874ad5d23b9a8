using System.Diagnostics.Metrics;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// Removal request gauges: how many requests are in each status, and how many UK business days
/// the oldest pending one has waited (the SLA is <see cref="RemovalSla.CriticalAfterBusinessDays"/>).
/// </summary>
internal sealed class RemovalGauges : GaugeSampler
{
    private const int PageSize = 1000;

    private readonly RemovalDesk _desk;
    private readonly TimeProvider _time;
    private volatile Measurement<long>[] _counts = [];
    private double _oldestPendingDays;

    public RemovalGauges(RemovalDesk desk, DirectoryMetrics metrics, TimeProvider time, ILogger<RemovalGauges> logger)
        : base(time, logger)
    {
        (_desk, _time) = (desk, time);
        metrics.Meter.CreateObservableGauge(MetricNames.RemovalRequests, () => _counts, "{request}", "Removal requests by status.");
        metrics.Meter.CreateObservableGauge(MetricNames.RemovalOldestPendingDays, () => Volatile.Read(ref _oldestPendingDays), "{business_day}",
            "UK business days the oldest pending removal request has waited.");
    }

    protected override async Task SampleAsync(CancellationToken cancellationToken)
    {
        var counts = new List<Measurement<long>>();
        var oldest = 0.0;
        foreach (var status in Enum.GetValues<RemovalStatus>())
        {
            long count = 0;
            string? cursor = null;
            do
            {
                var page = await _desk.ListAsync(status, PageSize, cursor, cancellationToken);
                // Pages come oldest first: the first pending request is the one the SLA is about.
                if (status == RemovalStatus.Pending && count == 0 && page.Items.Count > 0) oldest = UkBusinessDays.Between(page.Items[0].CreatedAt, _time.GetUtcNow());
                count += page.Items.Count;
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            counts.Add(new(count, new KeyValuePair<string, object?>(MetricNames.Status, RemovalNames.Of(status))));
        }
        _counts = [.. counts];
        Volatile.Write(ref _oldestPendingDays, oldest);
    }
}
