using System.Diagnostics.Metrics;
using TattooDirectory.Core.Queues;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation;

/// <summary>Depth (visible, in flight, delayed), age of the oldest message and dead letters of every queue the app knows.</summary>
internal sealed class QueueGauges : GaugeSampler
{
    private readonly IQueues _queues;
    private volatile IReadOnlyList<(string Queue, QueueStats Stats)> _stats = [];

    public QueueGauges(IQueues queues, DirectoryMetrics metrics, TimeProvider time, ILogger<QueueGauges> logger)
        : base(time, logger)
    {
        _queues = queues;
        metrics.Meter.CreateObservableGauge(MetricNames.QueueDepth, Depths, "{message}", "Messages in a queue, by state.");
        metrics.Meter.CreateObservableGauge(MetricNames.QueueOldestAge, () => Each(s => s.OldestMessageAge?.TotalSeconds ?? 0), "s", "Age of the oldest message in a queue.");
        metrics.Meter.CreateObservableGauge(MetricNames.QueueDeadLetters, () => Each(s => (double)s.DeadLetters), "{message}", "Messages in a queue's dead-letter queue.");
    }

    protected override async Task SampleAsync(CancellationToken cancellationToken)
    {
        var stats = new List<(string, QueueStats)>();
        foreach (var (name, entry) in AggregationModule.Queues) stats.Add((name, await _queues.Get(name, entry.Settings).GetStatsAsync(cancellationToken)));
        _stats = stats;
    }

    private IEnumerable<Measurement<double>> Each(Func<QueueStats, double> value) =>
        _stats.Select(s => new Measurement<double>(value(s.Stats), new KeyValuePair<string, object?>(MetricNames.Queue, s.Queue)));

    private IEnumerable<Measurement<long>> Depths() => _stats.SelectMany(s => new[]
    {
        Depth(s.Queue, "visible", s.Stats.Visible),
        Depth(s.Queue, "in_flight", s.Stats.InFlight),
        Depth(s.Queue, "delayed", s.Stats.Delayed),
    });

    private static Measurement<long> Depth(string queue, string state, long value) =>
        new(value, new KeyValuePair<string, object?>(MetricNames.Queue, queue), new KeyValuePair<string, object?>(MetricNames.QueueState, state));
}
