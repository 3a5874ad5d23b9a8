using System.CommandLine;
using Spectre.Console;
using TattooDirectory.Bench;
using TattooDirectory.Bench.Chaos;
using TattooDirectory.Bench.Scenarios;
using TattooDirectory.Bench.Soak;

var quick = new Option<bool>("--quick") { Description = "Fewer iterations and smaller corpora (a smoke run)." };
var large = new Option<bool>("--large") { Description = "Also run B3 at 1,000,000 artists." };
var only = new Option<string?>("--only") { Description = "Comma-separated scenario ids, e.g. B3,B5." };
var output = new Option<string?>("--output") { Description = "Results directory (default bench/results)." };
var root = new RootCommand("Tattoo Directory benchmark harness (quality-bar.md B1–B6, B9; B10 removal latency; R6 soak; R1 with the chaos command).") { quick, large, only, output, ChaosCommand.Create() };
root.SetAction(async (result, ct) =>
{
    var settings = new BenchSettings(result.GetValue(quick), result.GetValue(large));
    var selected = result.GetValue(only)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
    var scenarios = new (string Id, Func<BenchSettings, CancellationToken, Task<IReadOnlyList<ScenarioResult>>> Run)[]
    {
        ("B1", StartupBench.RunSeededAsync),
        ("B2", StartupBench.RunEmptyAsync),
        ("B3", EngineSearchBench.RunAsync),
        ("B5", SyncLagBench.RunAsync),
        ("B6", BulkLoadBench.RunAsync),
        ("B8", AggregationBench.RunAsync),
        ("B9", LighthouseBench.RunAsync),
        ("B10", RemovalBench.RunAsync),
        ("R6", SoakBench.RunAsync),
    };
    var results = new List<ScenarioResult>();
    foreach (var (id, run) in scenarios)
    {
        if (selected is not null && !selected.Contains(id)) continue;
        AnsiConsole.MarkupLine($"[bold]{id}[/] running…");
        var scenarioResults = await run(settings, ct);
        foreach (var r in scenarioResults) AnsiConsole.MarkupLine($"  {Markup.Escape(r.Id)}: {Markup.Escape(r.Summary)}");
        results.AddRange(scenarioResults);
    }
    var report = new BenchReport(DateTimeOffset.UtcNow, $"{Environment.ProcessorCount} cores, {Environment.OSVersion.Platform}, .NET {Environment.Version}", results);
    Report.Print(report);
    var directory = result.GetValue(output) ?? Path.Combine(Paths.RepositoryRoot, "bench", "results");
    await Report.WriteAsync(report, directory);
    AnsiConsole.MarkupLine($"Written to [blue]{Markup.Escape(directory)}[/] (latest.json, latest.md).");
    return 0;
});
return await root.Parse(args).InvokeAsync();

public sealed record BenchSettings(bool Quick, bool Large);
