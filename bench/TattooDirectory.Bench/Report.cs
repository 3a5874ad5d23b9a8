using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace TattooDirectory.Bench;

/// <summary>One measured scenario: its figures, the goal from quality-bar.md, and whether it met it.</summary>
public sealed record ScenarioResult(string Id, string Scenario, string Goal, bool Met, string Summary, IReadOnlyDictionary<string, object> Metrics)
{
    /// <summary>When this result was measured; set when a report keeps results of earlier runs beside new ones.</summary>
    public DateTimeOffset? RanAt { get; init; }
}

public sealed record BenchReport(DateTimeOffset RanAt, string Machine, IReadOnlyList<ScenarioResult> Results);

public static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Writes latest.json and latest.md: this run's results, plus the results of scenarios this run
    /// did not measure (`--only`) kept from the previous report, each with the time it was measured.
    /// </summary>
    public static async Task WriteAsync(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "latest.json");
        var merged = report with { Results = Merge(await ReadAsync(path), report) };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(merged, Json));
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), Markdown(merged));
    }

    private static async Task<BenchReport?> ReadAsync(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BenchReport>(await File.ReadAllTextAsync(path), Json);
        }
        catch (JsonException)
        {
            // An unreadable old report is replaced, not merged.
            return null;
        }
    }

    private static List<ScenarioResult> Merge(BenchReport? previous, BenchReport current)
    {
        // "B3 @10k" and "B3 @100k" are one scenario: a run of B3 replaces both. Benchmarks (B) come before reliability runs (R).
        static string Scenario(ScenarioResult r) => r.Id.Split(' ')[0];
        var measured = current.Results.Select(Scenario).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = (previous?.Results ?? []).Where(r => !measured.Contains(Scenario(r))).Select(r => r with { RanAt = r.RanAt ?? previous!.RanAt });
        return [.. current.Results.Select(r => r with { RanAt = current.RanAt }).Concat(kept).OrderBy(r => Scenario(r)[0]).ThenBy(r => Number(Scenario(r))).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    private static int Number(string scenario) => int.TryParse(scenario.AsSpan(1), out var n) ? n : int.MaxValue;

    public static void Print(BenchReport report)
    {
        var table = new Table().Title($"Tattoo Directory benchmarks · {report.Machine}").AddColumns("Id", "Scenario", "Result", "Goal", "Met");
        foreach (var r in report.Results) table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.Scenario), Markup.Escape(r.Summary), Markup.Escape(r.Goal), r.Met ? "[green]yes[/]" : "[red]no[/]");
        AnsiConsole.Write(table);
    }

    private static string Markdown(BenchReport report)
    {
        var lines = new List<string>
        {
            $"# Benchmark results (last run {report.RanAt:yyyy-MM-dd HH:mm} UTC, {report.Machine})",
            "",
            "Produced by `dotnet run -c Release --project bench/TattooDirectory.Bench`. Medians and tails over many samples; see latest.json for every figure.",
            "",
            "| Id | Scenario | Result | Goal | Met | Measured (UTC) |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(report.Results.Select(r => $"| {r.Id} | {r.Scenario} | {r.Summary} | {r.Goal} | {(r.Met ? "yes" : "**no**")} | {r.RanAt ?? report.RanAt:yyyy-MM-dd HH:mm} |"));
        return string.Join('\n', lines) + "\n";
    }
}
