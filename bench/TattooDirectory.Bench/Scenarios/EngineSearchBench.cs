using System.Diagnostics;
using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>B3: engine search latency (the index port, no HTTP) over mixed queries at growing corpus sizes.</summary>
public static class EngineSearchBench
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var sizes = settings.Quick ? new[] { 10_000 } : settings.Large ? new[] { 10_000, 100_000, 1_000_000 } : new[] { 10_000, 100_000 };
        var results = new List<ScenarioResult>();
        foreach (var size in sizes)
        {
            var dir = Paths.NewTemp($"b3-{size}");
            try
            {
                using var stores = new LocalStores(dir.FullName, TimeProvider.System);
                var sample = new List<ArtistDocument>();
                var rate = await Corpus.IndexAsync(stores.Index, Corpus.Documents(size, stores).Select((d, i) => { if (i % 97 == 0) sample.Add(d); return d; }), ct);
                var queries = Corpus.MixedQueries(sample, settings.Quick ? 1500 : 6000);
                var warmup = queries.Count / 5;
                var samples = new List<double>(queries.Count);
                long totalHits = 0;
                long allocated = 0;
                for (var i = 0; i < queries.Count; i++)
                {
                    // The Local index answers synchronously, so the search allocates on this thread only.
                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    var started = Stopwatch.GetTimestamp();
                    var result = await stores.Index.SearchAsync(queries[i], ct);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (i >= warmup) { samples.Add(ms); totalHits += result.Total; allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore; }
                }
                // Garbage per search is what decides GC pauses under load (R6), which a single-threaded latency hides.
                var kbPerSearch = Math.Round(allocated / 1024.0 / Math.Max(1, samples.Count), 1);
                var stats = Stats.Of(samples);
                var (goal, met) = size switch
                {
                    100_000 => ("p50 ≤ 2 ms, p99 ≤ 10 ms", stats.P50 <= 2 && stats.P99 <= 10),
                    1_000_000 => ("p99 ≤ 50 ms", stats.P99 <= 50),
                    _ => ("(reference size)", true),
                };
                results.Add(new ScenarioResult($"B3 @{size / 1000:N0}k", $"Engine search, mixed text + styles + geo + facets, {size:N0} artists", goal, met,
                    $"{stats}; {kbPerSearch:F1} KB allocated per search", new Dictionary<string, object>
                    {
                        ["latencyMs"] = stats,
                        ["allocatedKbPerSearch"] = kbPerSearch,
                        ["indexDocsPerSecond"] = Math.Round(rate),
                        ["meanHits"] = totalHits / Math.Max(1, samples.Count),
                    }));
            }
            finally
            {
                Paths.TryDelete(dir.FullName);
            }
        }
        return results;
    }
}
