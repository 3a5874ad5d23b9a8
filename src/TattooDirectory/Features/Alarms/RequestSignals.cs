using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Alarms;

/// <summary>The requests in the window and how many of them answered 5xx.</summary>
public sealed record ErrorRate(long Requests, long Errors)
{
    public double Share => Requests == 0 ? 0 : (double)Errors / Requests;
}

/// <summary>The 95th percentile of the searches in the window.</summary>
public sealed record SearchLatency(int Searches, TimeSpan P95);

/// <summary>
/// Listens to this host's own meters (a test host in the same process has its own
/// <see cref="IMeterFactory"/>, so it is never counted here) and keeps the two sliding windows
/// the request alarms need: requests by 5xx or not, from ASP.NET Core's
/// <c>http.server.request.duration</c>, and search durations from
/// <see cref="MetricNames.SearchDuration"/>. Times come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class RequestSignals : IDisposable
{
    private const string AspNetCoreHosting = "Microsoft.AspNetCore.Hosting";
    private const string HttpRequestDuration = "http.server.request.duration";
    private const string StatusCodeTag = "http.response.status_code";

    /// <summary>A busy five minutes keeps its latest searches; at the 10–20 requests/s peak that is still the whole window.</summary>
    private const int SearchCapacity = 20_000;

    private readonly MeterListener _listener;
    private readonly SlidingCounts _requests;
    private readonly SlidingSamples _searches;
    private readonly TimeProvider _time;

    public RequestSignals(IMeterFactory meters, TimeProvider time, IOptions<AlarmOptions> options)
    {
        _time = time;
        _requests = new SlidingCounts(options.Value.ErrorRateWindow);
        _searches = new SlidingSamples(options.Value.SearchWindow, SearchCapacity);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && (IsRequests(instrument) || IsSearches(instrument))) listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    public ErrorRate ErrorRate()
    {
        var (total, errors) = _requests.Sum(_time.GetUtcNow());
        return new ErrorRate(total, errors);
    }

    public SearchLatency SearchLatency()
    {
        var samples = _searches.Snapshot(_time.GetUtcNow());
        if (samples.Length == 0) return new SearchLatency(0, TimeSpan.Zero);
        Array.Sort(samples);
        // Nearest rank: the smallest value at or above 95 % of the samples.
        var rank = (int)Math.Ceiling(0.95 * samples.Length) - 1;
        return new SearchLatency(samples.Length, TimeSpan.FromSeconds(samples[rank]));
    }

    private static bool IsRequests(Instrument instrument) => instrument.Meter.Name == AspNetCoreHosting && instrument.Name == HttpRequestDuration;

    private static bool IsSearches(Instrument instrument) => instrument.Meter.Name == Telemetry.Name && instrument.Name == MetricNames.SearchDuration;

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var now = _time.GetUtcNow();
        if (IsSearches(instrument))
        {
            _searches.Add(now, value);
            return;
        }

        foreach (var (key, tag) in tags)
        {
            if (key != StatusCodeTag) continue;
            _requests.Add(now, StatusOf(tag) >= 500);
            return;
        }
        _requests.Add(now, false);
    }

    private static int StatusOf(object? tag) => tag switch
    {
        int code => code,
        long code => (int)code,
        short code => code,
        string text when int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code) => code,
        _ => 0,
    };

    public void Dispose() => _listener.Dispose();
}

/// <summary>Request counts over a sliding window, in 30 slices so memory stays fixed however busy it gets.</summary>
internal sealed class SlidingCounts(TimeSpan window)
{
    private const int Slices = 30;
    private readonly Lock _lock = new();
    private readonly long _sliceTicks = Math.Max(1, window.Ticks / Slices);
    private readonly (long Slice, long Total, long Errors)[] _ring = new (long, long, long)[Slices + 1];

    public void Add(DateTimeOffset at, bool error)
    {
        var slice = at.UtcTicks / _sliceTicks;
        lock (_lock)
        {
            ref var entry = ref _ring[slice % _ring.Length];
            if (entry.Slice != slice) entry = (slice, 0, 0);
            entry.Total++;
            if (error) entry.Errors++;
        }
    }

    /// <summary>The last <c>window</c> of counts: the current slice and the <see cref="Slices"/> before it.</summary>
    public (long Total, long Errors) Sum(DateTimeOffset now)
    {
        var current = now.UtcTicks / _sliceTicks;
        long total = 0, errors = 0;
        lock (_lock)
        {
            foreach (var (slice, count, failed) in _ring)
            {
                if (slice > current - Slices && slice <= current && count > 0)
                {
                    total += count;
                    errors += failed;
                }
            }
        }
        return (total, errors);
    }
}

/// <summary>The samples of a sliding window, at most <paramref name="capacity"/> (the oldest give way).</summary>
internal sealed class SlidingSamples(TimeSpan window, int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, double Value)> _samples = new();

    public void Add(DateTimeOffset at, double value)
    {
        lock (_lock)
        {
            if (_samples.Count == capacity) _samples.Dequeue();
            _samples.Enqueue((at, value));
        }
    }

    public double[] Snapshot(DateTimeOffset now)
    {
        lock (_lock)
        {
            while (_samples.TryPeek(out var oldest) && now - oldest.At > window) _samples.Dequeue();
            return [.. _samples.Select(s => s.Value)];
        }
    }
}
