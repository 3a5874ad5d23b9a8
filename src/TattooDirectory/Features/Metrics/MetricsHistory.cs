using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Metrics;

/// <summary>
/// The last 24 hours of the directory's metrics at 10 s resolution, in memory, for the dashboard and
/// <c>GET /v1/admin/metrics</c>. A <see cref="MeterListener"/> takes the measurements of this host's
/// instruments only (by <see cref="Meter.Scope"/>, the host's <see cref="IMeterFactory"/>), so several
/// hosts in one process keep apart; each <see cref="Sample"/> reads the gauges and seals the 10 s slot.
/// </summary>
/// <remarks>
/// Memory is bounded: a ring of <see cref="Capacity"/> slots, each with counters, a few gauges, and
/// latency sketches kept as sorted bucket arrays, for at most <see cref="MaxRoutesPerSlot"/> routes
/// (later routes count in "(other)") and <see cref="MaxSeriesPerSlot"/> labelled series.
/// </remarks>
public sealed class MetricsHistory : IDisposable
{
    public static readonly TimeSpan Resolution = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    public const int Capacity = 24 * 60 * 6;
    public const int MaxRoutesPerSlot = 30;
    public const int MaxSeriesPerSlot = 200;
    public const string HttpDuration = "http.server.request.duration";
    public const string AspNetCoreMeter = "Microsoft.AspNetCore.Hosting";
    internal const string OtherRoute = "(other)";
    internal const string UnmatchedRoute = "(unmatched)";

    /// <summary>The directory's instruments the history keeps, with the tags it keeps of each (the rest would only multiply series).</summary>
    private static readonly Dictionary<string, string[]> Kept = new(StringComparer.Ordinal)
    {
        [MetricNames.SyncLag] = [],
        [MetricNames.SyncFailures] = [MetricNames.Reason],
        [MetricNames.QueueDepth] = [MetricNames.Queue, MetricNames.QueueState],
        [MetricNames.QueueOldestAge] = [MetricNames.Queue],
        [MetricNames.QueueDeadLetters] = [MetricNames.Queue],
        [MetricNames.ScrapeOutcomes] = [MetricNames.Outcome],
        [MetricNames.WorkflowRuns] = [MetricNames.StateMachine, MetricNames.Status],
        [MetricNames.RemovalRequests] = [MetricNames.Status],
        [MetricNames.RemovalOldestPendingDays] = [],
    };

    private readonly IMeterFactory _meters;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener;
    private readonly Slot?[] _ring = new Slot?[Capacity];
    private readonly Lock _ringGate = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, string> _units = new(StringComparer.Ordinal);
    private SlotBuilder _current;
    private int _next;

    public MetricsHistory(IMeterFactory meters, TimeProvider time)
    {
        _meters = meters;
        _time = time;
        _current = new SlotBuilder();
        _listener = new MeterListener { InstrumentPublished = Published };
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Measured(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Measured(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Measured(i, v, t));
        _listener.Start();
    }

    /// <summary>Reads the gauges and closes the current slot, stamped now. The sampler calls it every <see cref="Resolution"/>.</summary>
    public void Sample()
    {
        _listener.RecordObservableInstruments();
        SlotBuilder closed;
        lock (_gate)
        {
            (closed, _current) = (_current, new SlotBuilder());
        }

        var slot = closed.Seal(_time.GetUtcNow());
        lock (_ringGate)
        {
            _ring[_next] = slot;
            _next = (_next + 1) % Capacity;
        }
    }

    /// <summary>The slots of the last <paramref name="window"/> (10 s – 24 h), oldest first.</summary>
    internal (DateTimeOffset From, DateTimeOffset To, List<Slot> Slots) Slots(TimeSpan window)
    {
        var to = _time.GetUtcNow();
        var from = to - window;
        lock (_ringGate)
        {
            return (from, to, [.. _ring.OfType<Slot>().Where(s => s.At > from && s.At <= to).OrderBy(s => s.At)]);
        }
    }

    internal string UnitOf(string instrument) => _units.GetValueOrDefault(instrument, "");

    public void Dispose() => _listener.Dispose();

    private void Published(Instrument instrument, MeterListener listener)
    {
        if (!ReferenceEquals(instrument.Meter.Scope, _meters)) return;
        var tracked = instrument.Meter.Name switch
        {
            AspNetCoreMeter => instrument.Name == HttpDuration,
            Telemetry.Name => instrument.Name == MetricNames.SearchDuration || Kept.ContainsKey(instrument.Name),
            _ => false,
        };
        if (!tracked) return;
        _units[instrument.Name] = instrument.Unit ?? "";
        listener.EnableMeasurementEvents(instrument);
    }

    private void Measured<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var value = Convert.ToDouble(measurement, System.Globalization.CultureInfo.InvariantCulture);
        if (instrument.Name == HttpDuration)
        {
            string? route = null;
            var status = 0;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route") route = tag.Value as string;
                else if (tag.Key == "http.response.status_code" && tag.Value is int code) status = code;
            }
            lock (_gate) _current.Request(route is { Length: > 0 } ? route : UnmatchedRoute, value, status >= 500);
            return;
        }

        if (instrument.Name == MetricNames.SearchDuration)
        {
            lock (_gate) _current.Search.Record(value);
            return;
        }

        var key = new SeriesKey(instrument.Name, SeriesKey.LabelsOf(Kept[instrument.Name], tags));
        lock (_gate)
        {
            if (instrument.IsObservable) _current.Gauge(key, value);
            else _current.Count(key, value);
        }
    }

    /// <summary>What a slot is filled with while it is current; only touched under the history's lock.</summary>
    private sealed class SlotBuilder
    {
        private readonly Dictionary<string, (long Requests, long Errors, LatencySketch Latency)> _routes = new(StringComparer.Ordinal);
        private readonly Dictionary<SeriesKey, double> _gauges = [];
        private readonly Dictionary<SeriesKey, double> _counts = [];
        private long _requests;
        private long _errors;
        private readonly LatencySketch _latency = new();

        public LatencySketch Search { get; } = new();

        public void Request(string route, double seconds, bool error)
        {
            _requests++;
            if (error) _errors++;
            _latency.Record(seconds);
            if (!_routes.ContainsKey(route) && _routes.Count >= MaxRoutesPerSlot) route = OtherRoute;
            var (requests, errors, latency) = _routes.TryGetValue(route, out var entry) ? entry : (0, 0, new LatencySketch());
            latency.Record(seconds);
            _routes[route] = (requests + 1, errors + (error ? 1 : 0), latency);
        }

        public void Gauge(SeriesKey key, double value)
        {
            if (_gauges.ContainsKey(key) || _gauges.Count + _counts.Count < MaxSeriesPerSlot) _gauges[key] = value;
        }

        public void Count(SeriesKey key, double value)
        {
            if (_counts.ContainsKey(key) || _gauges.Count + _counts.Count < MaxSeriesPerSlot) _counts[key] = _counts.GetValueOrDefault(key) + value;
        }

        public Slot Seal(DateTimeOffset at) => new(at, _requests, _errors, _latency.Compact(), Search.Compact(),
            _routes.ToDictionary(r => r.Key, r => new RouteSlot(r.Value.Requests, r.Value.Errors, r.Value.Latency.Compact()), StringComparer.Ordinal),
            _gauges, _counts);
    }
}

/// <summary>One sealed 10 s slot: request and error counts, latency sketches, gauge values (last seen) and counter sums.</summary>
internal sealed record Slot(
    DateTimeOffset At,
    long Requests,
    long Errors,
    CompactSketch Latency,
    CompactSketch Search,
    IReadOnlyDictionary<string, RouteSlot> Routes,
    IReadOnlyDictionary<SeriesKey, double> Gauges,
    IReadOnlyDictionary<SeriesKey, double> Counts);

internal sealed record RouteSlot(long Requests, long Errors, CompactSketch Latency);

/// <summary>An instrument and the values of the tags kept of it, as one canonical string.</summary>
internal readonly record struct SeriesKey(string Name, string Labels)
{
    private const char Pair = '\u001f';
    private const char Equal = '\u001e';

    public static string LabelsOf(string[] kept, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (kept.Length == 0) return "";
        var values = new string[kept.Length];
        foreach (var tag in tags)
        {
            var index = Array.IndexOf(kept, tag.Key);
            if (index >= 0) values[index] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        return string.Join(Pair, kept.Select((k, i) => k + Equal + (values[i] ?? "")));
    }

    public IReadOnlyDictionary<string, string> LabelMap() => Labels.Length == 0
        ? new Dictionary<string, string>()
        : Labels.Split(Pair).Select(p => p.Split(Equal, 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
