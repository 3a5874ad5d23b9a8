using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Sync;

/// <summary>
/// The sync lag gauge: how long the oldest change the index has not taken yet has been waiting
/// (0 when caught up), from the worker's position and the change stream's commit times.
/// </summary>
internal sealed class SyncGauges : GaugeSampler
{
    private readonly SyncStatus _status;
    private readonly IChangeStream _stream;
    private readonly TimeProvider _time;
    private double _lagSeconds;

    public SyncGauges(SyncStatus status, IChangeStream stream, DirectoryMetrics metrics, TimeProvider time, ILogger<SyncGauges> logger)
        : base(time, logger)
    {
        (_status, _stream, _time) = (status, stream, time);
        metrics.Meter.CreateObservableGauge(MetricNames.SyncLag, () => Volatile.Read(ref _lagSeconds), "s", "Age of the oldest change not yet in the search index.");
    }

    protected override async Task SampleAsync(CancellationToken cancellationToken)
    {
        // Before the worker's first pass its position means nothing yet.
        if (_status.LastPassAt is null) return;
        var next = await _stream.ReadAsync(_status.Position, 1, cancellationToken);
        var lag = next.Count == 0 ? 0 : Math.Max(0, (_time.GetUtcNow() - next[0].CommittedAt).TotalSeconds);
        Volatile.Write(ref _lagSeconds, lag);
    }
}
