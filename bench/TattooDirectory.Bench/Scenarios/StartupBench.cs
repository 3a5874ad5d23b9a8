using System.Diagnostics;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B1 and B2: wall time from launching the real executable to the first successful search
/// (200 with results), on a seeded data directory and on an empty one (seeding included).
/// </summary>
public static class StartupBench
{
    private const string SearchPath = "/v1/artists?styles=blackwork&location=Leeds";

    public static async Task<IReadOnlyList<ScenarioResult>> RunSeededAsync(BenchSettings settings, CancellationToken ct)
    {
        var data = Paths.NewTemp("b1");
        try
        {
            await MeasureOnceAsync(data.FullName, ct); // seeds the directory
            var samples = new List<double>();
            for (var i = 0; i < (settings.Quick ? 3 : 7); i++) samples.Add(await MeasureOnceAsync(data.FullName, ct));
            var stats = Stats.Of(samples);
            return [new ScenarioResult("B1", "Start to first search, data directory already seeded", "≤ 1,500 ms", stats.P50 <= 1500,
                $"median {stats.P50:F0} ms, max {stats.Max:F0} ms over {stats.Count} starts", new Dictionary<string, object> { ["startMs"] = stats })];
        }
        finally
        {
            Paths.TryDelete(data.FullName);
        }
    }

    public static async Task<IReadOnlyList<ScenarioResult>> RunEmptyAsync(BenchSettings settings, CancellationToken ct)
    {
        var samples = new List<double>();
        // Each run gets a new directory; they are all deleted at the end, because deleting
        // thousands of files just before a start makes the file system (mounted with online
        // discard here) stall the next run's writes, which no user's first start would see.
        var directories = new List<string>();
        try
        {
            for (var i = 0; i < (settings.Quick ? 2 : 5); i++)
            {
                directories.Add(Paths.NewTemp("b2").FullName);
                samples.Add(await MeasureOnceAsync(directories[^1], ct));
            }
        }
        finally
        {
            directories.ForEach(Paths.TryDelete);
        }
        var stats = Stats.Of(samples);
        return [new ScenarioResult("B2", "Start from an empty data directory to first search (seeding included)", "≤ 5,000 ms", stats.P50 <= 5000,
            $"median {stats.P50:F0} ms, max {stats.Max:F0} ms over {stats.Count} starts", new Dictionary<string, object> { ["startMs"] = stats })];
    }

    private static async Task<double> MeasureOnceAsync(string dataDirectory, CancellationToken ct)
    {
        var port = AppProcess.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        await using var app = AppProcess.Start(port, dataDirectory);
        await app.WaitUntilSearchableAsync(http, SearchPath, ct);
        return clock.Elapsed.TotalMilliseconds;
    }
}
