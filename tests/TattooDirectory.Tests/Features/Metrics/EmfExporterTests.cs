using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using TattooDirectory.Features.Metrics;

namespace TattooDirectory.Tests.Features.Metrics;

/// <summary>
/// EMF lines checked against the CloudWatch Embedded Metric Format specification: a JSON Schema
/// written from it (root object with <c>_aws</c>; <c>Timestamp</c> in ms; <c>CloudWatchMetrics</c>
/// directives with a 1 – 1024 character <c>Namespace</c>, dimension sets of at most 30 keys and at
/// most 100 metric definitions whose <c>Unit</c> is a CloudWatch unit; no other members in the
/// specification's objects), plus what a schema cannot say: every dimension and metric a directive
/// names is a member of the root, dimension values are strings, metric values are numbers or arrays
/// of at most 100 numbers.
/// </summary>
public sealed class EmfExporterTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText($$"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["_aws"],
          "properties": {
            "_aws": {
              "type": "object",
              "required": ["Timestamp", "CloudWatchMetrics"],
              "additionalProperties": false,
              "properties": {
                "Timestamp": { "type": "integer", "minimum": 0 },
                "CloudWatchMetrics": {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "type": "object",
                    "required": ["Namespace", "Dimensions", "Metrics"],
                    "additionalProperties": false,
                    "properties": {
                      "Namespace": { "type": "string", "minLength": 1, "maxLength": 1024 },
                      "Dimensions": {
                        "type": "array",
                        "items": { "type": "array", "maxItems": 30, "items": { "type": "string", "minLength": 1, "maxLength": 255 } }
                      },
                      "Metrics": {
                        "type": "array",
                        "maxItems": 100,
                        "items": {
                          "type": "object",
                          "required": ["Name"],
                          "additionalProperties": false,
                          "properties": {
                            "Name": { "type": "string", "minLength": 1, "maxLength": 1024 },
                            "Unit": { "enum": [{{string.Join(", ", EmfUnits.CloudWatch.Select(u => $"\"{u}\""))}}] },
                            "StorageResolution": { "enum": [1, 60] }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """);

    [Fact]
    public void Counters_gauges_and_histograms_become_lines_that_follow_the_specification()
    {
        var lines = Export(meter =>
        {
            var outcomes = meter.CreateCounter<long>("directory.scrape.outcomes", "{job}");
            outcomes.Add(3, new("outcome", "new"), new("reason", "none"));
            outcomes.Add(1, new("outcome", "failed"), new("reason", "http_503"));
            meter.CreateObservableGauge("directory.sync.lag", () => 0.25, "s");
            var latency = meter.CreateHistogram<double>("http.server.request.duration", "s");
            for (var i = 1; i <= 500; i++) latency.Record(i / 1000.0, new KeyValuePair<string, object?>("http.route", "/v1/artists"), new("http.response.status_code", 200));
        });

        Assert.All(lines, AssertFollowsSpecification);
        var failed = Assert.Single(lines, l => l["outcome"]?.GetValue<string>() == "failed");
        Assert.Equal(1, failed["directory.scrape.outcomes"]!.GetValue<double>());
        Assert.Equal("http_503", failed["reason"]!.GetValue<string>());
        Assert.Equal("Count", Directive(failed)["Metrics"]![0]!["Unit"]!.GetValue<string>());

        var lag = Assert.Single(lines, l => l["directory.sync.lag"] is not null);
        Assert.Equal(0.25, lag["directory.sync.lag"]!.GetValue<double>());
        Assert.Equal("Seconds", Directive(lag)["Metrics"]![0]!["Unit"]!.GetValue<string>());

        var http = Assert.Single(lines, l => l["http.route"] is not null);
        Assert.Equal("200", http["http.response.status_code"]!.GetValue<string>());
        Assert.Equal(500, http["http.server.request.duration.count"]!.GetValue<double>());
        Assert.Equal(125.25, http["http.server.request.duration.sum"]!.GetValue<double>(), 6);
        var values = http["http.server.request.duration"]!.AsArray().Select(v => v!.GetValue<double>()).Order().ToList();
        // The representative values follow the distribution: half lie below the median of 0.25 s, give or take a bucket.
        Assert.InRange(values[values.Count / 2], 0.1, 0.5);
    }

    [Fact]
    public void More_than_100_metrics_with_the_same_dimensions_are_split_across_lines()
    {
        var lines = Export(meter =>
        {
            for (var i = 0; i < 150; i++) meter.CreateCounter<long>($"test.counter.{i:D3}").Add(i + 1);
        });

        Assert.All(lines, AssertFollowsSpecification);
        Assert.Equal([100, 50], lines.Select(l => Directive(l)["Metrics"]!.AsArray().Count).Order().Reverse());
        Assert.Equal(150, lines.SelectMany(l => Directive(l)["Metrics"]!.AsArray()).Select(m => m!["Name"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public void Units_map_to_CloudWatch_units()
    {
        Assert.Equal(
            ["Seconds", "Milliseconds", "Bytes", "Count", "Count/Second", "Percent", "None"],
            new[] { "s", "ms", "By", "{request}", "{request}/s", "%", "d" }.Select(EmfUnits.Of));
    }

    private static JsonObject Directive(JsonObject line) => line["_aws"]!["CloudWatchMetrics"]![0]!.AsObject();

    private static void AssertFollowsSpecification(JsonObject line)
    {
        var result = Schema.Evaluate(JsonDocument.Parse(line.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"Not valid EMF: {line.ToJsonString()}");
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(line["_aws"]!["Timestamp"]!.GetValue<long>());
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        foreach (var directive in line["_aws"]!["CloudWatchMetrics"]!.AsArray())
        {
            foreach (var key in directive!["Dimensions"]!.AsArray().SelectMany(set => set!.AsArray()))
            {
                Assert.Equal(JsonValueKind.String, line[key!.GetValue<string>()]?.GetValueKind());
            }
            foreach (var metric in directive["Metrics"]!.AsArray())
            {
                var value = line[metric!["Name"]!.GetValue<string>()];
                Assert.NotNull(value);
                if (value is JsonArray array)
                {
                    Assert.InRange(array.Count, 1, 100);
                    Assert.All(array, v => Assert.Equal(JsonValueKind.Number, v!.GetValueKind()));
                }
                else
                {
                    Assert.Equal(JsonValueKind.Number, value.GetValueKind());
                }
            }
        }
    }

    /// <summary>Records with <paramref name="record"/> on a meter of this test alone, exports once, and parses each line.</summary>
    private static List<JsonObject> Export(Action<Meter> record)
    {
        var name = "emf-test-" + Guid.NewGuid().ToString("N");
        using var output = new StringWriter();
        using var meter = new Meter(name);
        string exported;
        using (var provider = Sdk.CreateMeterProviderBuilder().AddMeter(name)
            .AddReader(new BaseExportingMetricReader(new EmfExporter("TattooDirectory", output)) { TemporalityPreference = MetricReaderTemporalityPreference.Delta })
            .Build())
        {
            record(meter);
            Assert.True(provider.ForceFlush());
            // Disposing the provider exports once more (empty deltas): only the first export is under test.
            exported = output.ToString();
        }

        return [.. exported.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }
}
