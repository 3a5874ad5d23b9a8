namespace TattooDirectory.Features.Metrics;

/// <summary>
/// A window of the metrics history as series the dashboard draws. Values are aligned to steps:
/// value i covers [From + i·Step, From + (i+1)·Step); null where nothing was sampled.
/// </summary>
public sealed record MetricsWindowDto(DateTimeOffset From, DateTimeOffset To, double StepSeconds, IReadOnlyList<SeriesDto> Series, IReadOnlyList<RouteLatencyDto> Routes)
{
    public SeriesDto? Find(string name, string? label = null, string? value = null) =>
        Series.FirstOrDefault(s => s.Name == name && (label is null || s.Labels.GetValueOrDefault(label) == value));
}

/// <summary>One line of a chart: a metric (and its labels), its unit, and one value per step.</summary>
public sealed record SeriesDto(string Name, string Unit, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double?> Values)
{
    public double? Last => Values.LastOrDefault(v => v is not null);
}

/// <summary>Requests, server errors and latency percentiles (s) of one route over the whole window.</summary>
public sealed record RouteLatencyDto(string Route, long Requests, long Errors, double P50, double P95, double P99);

/// <summary>Builds <see cref="MetricsWindowDto"/> from the history's slots: counters summed per step, gauges at their last value, latency from merged sketches.</summary>
internal static class MetricsWindow
{
    public const int MaxPoints = 120;
    public const int TopRoutes = 8;

    /// <summary>The series names that are not an instrument's own.</summary>
    public const string RequestRate = "http.requests";
    public const string ErrorRate = "http.errors";
    public const string Latency = "http.latency";
    public const string SearchLatency = "search.latency";
    public const string Quantile = "quantile";

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public static MetricsWindowDto Read(MetricsHistory history, TimeSpan window)
    {
        var (from, to, slots) = history.Slots(window);
        var resolution = MetricsHistory.Resolution.Ticks;
        var step = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(window.Ticks / (double)MaxPoints / resolution)) * resolution);
        var bins = (int)Math.Ceiling(window / step);
        var grouped = slots.GroupBy(s => Math.Clamp((int)((s.At - from) / step), 0, bins - 1)).ToDictionary(g => g.Key, g => g.ToList());

        var series = new List<SeriesDto>
        {
            PerBin(RequestRate, "{request}/s", bins, grouped, b => b.Sum(s => s.Requests) / step.TotalSeconds),
            PerBin(ErrorRate, "{request}/s", bins, grouped, b => b.Sum(s => s.Errors) / step.TotalSeconds),
        };
        foreach (var (name, q) in new[] { ("p50", 0.5), ("p95", 0.95), ("p99", 0.99) })
        {
            series.Add(Labelled(PerBin(Latency, "s", bins, grouped, b => Merge(b.Select(s => s.Latency)).Quantile(q)), Quantile, name));
        }
        series.Add(Labelled(PerBin(SearchLatency, "s", bins, grouped, b => Merge(b.Select(s => s.Search)).Quantile(0.95)), Quantile, "p95"));

        foreach (var key in slots.SelectMany(s => s.Gauges.Keys).Distinct().OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Labels, StringComparer.Ordinal))
        {
            series.Add(new SeriesDto(key.Name, history.UnitOf(key.Name), key.LabelMap(), Values(bins, grouped, b => b.LastOrDefault(s => s.Gauges.ContainsKey(key))?.Gauges[key])));
        }
        foreach (var key in slots.SelectMany(s => s.Counts.Keys).Distinct().OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Labels, StringComparer.Ordinal))
        {
            series.Add(new SeriesDto(key.Name, history.UnitOf(key.Name), key.LabelMap(), Values(bins, grouped, b => b.Sum(s => s.Counts.GetValueOrDefault(key)))));
        }

        return new MetricsWindowDto(from, to, step.TotalSeconds, series, Routes(slots));
    }

    private static List<RouteLatencyDto> Routes(List<Slot> slots) =>
    [
        .. slots.SelectMany(s => s.Routes)
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sketch = Merge(g.Select(r => r.Value.Latency));
                return new RouteLatencyDto(g.Key, g.Sum(r => r.Value.Requests), g.Sum(r => r.Value.Errors),
                    sketch.Quantile(0.5) ?? 0, sketch.Quantile(0.95) ?? 0, sketch.Quantile(0.99) ?? 0);
            })
            .OrderByDescending(r => r.Requests)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .Take(TopRoutes),
    ];

    private static LatencySketch Merge(IEnumerable<CompactSketch> sketches)
    {
        var merged = new LatencySketch();
        foreach (var sketch in sketches) merged.Add(sketch);
        return merged;
    }

    private static SeriesDto PerBin(string name, string unit, int bins, Dictionary<int, List<Slot>> grouped, Func<List<Slot>, double?> value) =>
        new(name, unit, new Dictionary<string, string>(), Values(bins, grouped, value));

    private static SeriesDto Labelled(SeriesDto series, string label, string value) =>
        series with { Labels = new Dictionary<string, string> { [label] = value } };

    private static double?[] Values(int bins, Dictionary<int, List<Slot>> grouped, Func<List<Slot>, double?> value) =>
        [.. Enumerable.Range(0, bins).Select(i => grouped.TryGetValue(i, out var slots) ? value(slots) : null)];

    /// <summary>"15m", "1h", "24h", "90s": a window of 10 s – 24 h; null when it is not one.</summary>
    public static TimeSpan? ParseWindow(string? text)
    {
        if (string.IsNullOrEmpty(text)) return DefaultWindow;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount)) return null;
        TimeSpan? window = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => null,
        };
        return window >= MetricsHistory.Resolution && window <= MetricsHistory.Retention ? window : null;
    }
}
