using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace TattooDirectory.Bench;

/// <summary>One measured scenario: its figures, the goal from quality-bar.md, and whether it met it.</summary>
public sealed record ScenarioResult(string Id, string Scenario, string Goal, bool Met, string Summary, IReadOnlyDictionary<string, object> Metrics);

public sealed record BenchReport(DateTimeOffset RanAt, string Machine, IReadOnlyList<ScenarioResult> Results);

public static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static async Task WriteAsync(BenchReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), Markdown(report));
    }

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
            $"# Benchmark results ({report.RanAt:yyyy-MM-dd HH:mm} UTC, {report.Machine})",
            "",
            "Produced by `dotnet run -c Release --project bench/TattooDirectory.Bench`. Medians and tails over many samples; see latest.json for every figure.",
            "",
            "| Id | Scenario | Result | Goal | Met |",
            "|---|---|---|---|---|",
        };
        lines.AddRange(report.Results.Select(r => $"| {r.Id} | {r.Scenario} | {r.Summary} | {r.Goal} | {(r.Met ? "yes" : "**no**")} |"));
        return string.Join('\n', lines) + "\n";
    }
}
