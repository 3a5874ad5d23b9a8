using System.Globalization;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace TattooDirectory.Features.Metrics;

/// <summary>
/// Writes metrics as CloudWatch Embedded Metric Format log lines (one JSON object per line), so that
/// on AWS CloudWatch Logs turns the app's stdout into metrics without an agent or an API call.
/// Points with the same dimensions share a line, up to <see cref="MaxMetricsPerDirective"/> metrics each.
/// </summary>
/// <remarks>
/// The published EMF specification allows a metric value to be a number or an array of up to 100
/// numbers, nothing else. A histogram point is therefore written as three metrics: <c>{name}</c> as
/// an array of at most 100 representative values (each non-empty bucket's midpoint, repeated in
/// proportion to its count, so CloudWatch's percentiles follow the distribution),
/// <c>{name}.count</c> and <c>{name}.sum</c> with the exact totals. Counters are exported as deltas,
/// since CloudWatch sums what each line reports.
/// </remarks>
public sealed class EmfExporter(string metricNamespace, TextWriter? output = null) : BaseExporter<Metric>
{
    public const int MaxMetricsPerDirective = 100;
    public const int MaxDimensions = 30;
    public const int MaxValues = 100;

    private readonly TextWriter _output = output ?? Console.Out;

    public override ExportResult Export(in Batch<Metric> batch)
    {
        // Dimension sets (sorted key=value pairs) to the metric values that carry them.
        var lines = new Dictionary<string, EmfLine>(StringComparer.Ordinal);
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var dimensions = Dimensions(point.Tags);
                var key = string.Join('\u001f', dimensions.Select(d => d.Key + '\u001e' + d.Value));
                if (!lines.TryGetValue(key, out var line)) lines[key] = line = new EmfLine(dimensions);
                line.Timestamp = Math.Max(line.Timestamp, point.EndTime.ToUnixTimeMilliseconds());
                AddValues(line, metric, point);
            }
        }

        try
        {
            foreach (var line in lines.Values)
            {
                // Chunk of nothing writes nothing: a line whose points were all empty histograms is left out.
                foreach (var chunk in line.Metrics.Chunk(MaxMetricsPerDirective)) _output.WriteLine(Serialize(line, chunk));
            }
            _output.Flush();
            return ExportResult.Success;
        }
        catch (IOException)
        {
            return ExportResult.Failure;
        }
    }

    private static void AddValues(EmfLine line, Metric metric, in MetricPoint point)
    {
        var unit = EmfUnits.Of(metric.Unit);
        switch (metric.MetricType)
        {
            case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                line.Add(metric.Name, unit, point.GetSumLong());
                break;
            case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                line.Add(metric.Name, unit, point.GetSumDouble());
                break;
            case MetricType.LongGauge:
                line.Add(metric.Name, unit, point.GetGaugeLastValueLong());
                break;
            case MetricType.DoubleGauge:
                line.Add(metric.Name, unit, point.GetGaugeLastValueDouble());
                break;
            case MetricType.Histogram:
                var count = point.GetHistogramCount();
                if (count == 0) return;
                line.Add(metric.Name, unit, Representatives(point, count));
                line.Add(metric.Name + ".count", "Count", count);
                line.Add(metric.Name + ".sum", unit, point.GetHistogramSum());
                break;
        }
    }

    /// <summary>At most <see cref="MaxValues"/> values whose distribution follows the buckets': every non-empty bucket at least once.</summary>
    private static double[] Representatives(in MetricPoint point, long total)
    {
        var hasMinMax = point.TryGetHistogramMinMaxValues(out var min, out var max);
        var buckets = new List<(double Value, long Count)>();
        var lower = double.NegativeInfinity;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            var upper = bucket.ExplicitBound;
            if (bucket.BucketCount > 0)
            {
                var low = double.IsNegativeInfinity(lower) ? (hasMinMax ? min : Math.Min(0, upper)) : lower;
                var high = double.IsPositiveInfinity(upper) ? (hasMinMax ? max : low) : upper;
                if (hasMinMax) (low, high) = (Math.Max(low, min), Math.Min(high, max));
                buckets.Add(((low + high) / 2, bucket.BucketCount));
            }
            lower = upper;
        }

        var spare = MaxValues - buckets.Count;
        return [.. buckets.SelectMany(b => Enumerable.Repeat(b.Value, 1 + (int)(b.Count * spare / total)))];
    }

    /// <summary>Tag values as strings (EMF dimension values are strings), the first <see cref="MaxDimensions"/> by name.</summary>
    private static List<KeyValuePair<string, string>> Dimensions(ReadOnlyTagCollection tags)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var tag in tags)
        {
            if (tag.Value is null || tag.Key == "_aws") continue;
            list.Add(new(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list.Count > MaxDimensions ? list[..MaxDimensions] : list;
    }

    private string Serialize(EmfLine line, EmfValue[] metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", line.Timestamp);
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", metricNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            foreach (var dimension in line.Dimensions) json.WriteStringValue(dimension.Key);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var metric in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", metric.Name);
                json.WriteString("Unit", metric.Unit);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var dimension in line.Dimensions) json.WriteString(dimension.Key, dimension.Value);
            foreach (var metric in metrics)
            {
                json.WritePropertyName(metric.Name);
                if (metric.Values is { } values)
                {
                    json.WriteStartArray();
                    foreach (var value in values) json.WriteNumberValue(value);
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteNumberValue(metric.Value);
                }
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class EmfLine(List<KeyValuePair<string, string>> dimensions)
    {
        public List<KeyValuePair<string, string>> Dimensions => dimensions;
        public List<EmfValue> Metrics { get; } = [];
        public long Timestamp { get; set; }

        // A metric name whose member would clash with a dimension, or a name seen twice on one line, is left out rather than written ambiguously.
        public void Add(string name, string unit, double value) => Add(new EmfValue(name, unit, value, null));

        public void Add(string name, string unit, double[] values) => Add(new EmfValue(name, unit, 0, values));

        private void Add(EmfValue value)
        {
            if (dimensions.Any(d => d.Key == value.Name) || Metrics.Any(m => m.Name == value.Name)) return;
            Metrics.Add(value);
        }
    }

    private sealed record EmfValue(string Name, string Unit, double Value, double[]? Values);
}

/// <summary>OpenTelemetry's UCUM units to CloudWatch's unit names.</summary>
public static class EmfUnits
{
    /// <summary>Every unit CloudWatch accepts.</summary>
    public static readonly IReadOnlySet<string> CloudWatch = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    public static string Of(string? unit) => unit switch
    {
        "s" => "Seconds",
        "ms" => "Milliseconds",
        "us" => "Microseconds",
        "By" => "Bytes",
        "KiBy" or "kBy" => "Kilobytes",
        "MiBy" or "MBy" => "Megabytes",
        "GiBy" or "GBy" => "Gigabytes",
        "By/s" => "Bytes/Second",
        "%" => "Percent",
        ['{', .., '}'] => "Count",
        ['{', .., '}', '/', 's'] => "Count/Second",
        _ => "None",
    };
}
