using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace TattooDirectory.Bench.Chaos;

/// <summary>
/// <c>chaos [--kills N] [--seed S] [--quick]</c>: R1 of quality-bar.md. It lives in the bench
/// because it drives the built app the way the bench scenarios do (AppProcess, the demo web),
/// but unlike them it has a verdict: it exits 1 when any invariant is broken.
/// </summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var kills = new Option<int>("--kills") { Description = "SIGKILLs before the last restart (at least 1).", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the harness's choices (kill moments, operations).", DefaultValueFactory = _ => Environment.TickCount & 0xFFFF };
        var quick = new Option<bool>("--quick") { Description = "The CI run: a smaller demo web, and jobs hidden by a kill may still be queued at the end." };
        var command = new Command("chaos", "R1: kill the app at random moments under mixed load, restart it, and check that nothing acknowledged was lost.") { kills, seed, quick };
        command.SetAction(async (result, ct) =>
        {
            // CI logs are not a terminal; without a width the summary table wraps at 80 columns.
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var plan = new ChaosPlan(Math.Max(1, result.GetValue(kills)), result.GetValue(seed), result.GetValue(quick));
            AnsiConsole.MarkupLine($"[bold]chaos[/]: {plan.Kills} kills, seed {plan.Seed}{(plan.Quick ? ", quick" : "")}");
            var outcome = await ChaosRun.RunAsync(plan, line => AnsiConsole.MarkupLine("  " + Markup.Escape(line)), ct);
            Print(outcome);
            return outcome.Passed ? 0 : 1;
        });
        return command;
    }

    private static void Print(ChaosOutcome outcome)
    {
        string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var ledger = outcome.Ledger;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Kills: {outcome.Kills} (seed {outcome.Plan.Seed}); wall {outcome.Wall.TotalSeconds:F0} s, settled in {outcome.Settle.TotalSeconds:F0} s after the last restart")));
        AnsiConsole.MarkupLine(Markup.Escape("Killed during: " + string.Join(", ", outcome.KillsByMoment.Select(k => $"{k.Key} {k.Value}"))));
        AnsiConsole.MarkupLine(Markup.Escape($"Operations acknowledged: {N(ledger.TotalAcknowledged)} ({string.Join(", ", ledger.Acknowledged.Select(k => $"{k.Key} {N(k.Value)}"))})"));
        AnsiConsole.MarkupLine(Markup.Escape($"Unanswered (cut off or app down): {N(ledger.TotalUnanswered)} ({string.Join(", ", ledger.Unanswered.Select(k => $"{k.Key} {N(k.Value)}"))})"));
        if (ledger.Refusals.Count > 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Refused: {string.Join(", ", ledger.Refusals.Select(k => $"{k.Key} ×{k.Value}"))}"));
            foreach (var first in ledger.FirstRefusals) AnsiConsole.MarkupLine(Markup.Escape("  " + first));
        }

        var table = new Table().AddColumns("Invariant", "Checked", "Result");
        foreach (var invariant in outcome.Invariants)
        {
            table.AddRow(Markup.Escape(invariant.Name), N(invariant.Checked), invariant.Held ? "[green]held[/]" : $"[red]{invariant.Violations.Count} violation(s)[/]");
        }
        AnsiConsole.Write(table);
        foreach (var invariant in outcome.Invariants.Where(i => !i.Held))
        {
            foreach (var violation in invariant.Violations.Take(10)) AnsiConsole.MarkupLine($"[red]VIOLATION[/] {Markup.Escape(invariant.Name)}: {Markup.Escape(violation)}");
        }
        foreach (var failure in outcome.Failures) AnsiConsole.MarkupLine($"[red]FAILED[/] {Markup.Escape(failure)}");
        if (outcome.AppOutput.Count > 0)
        {
            AnsiConsole.MarkupLine("The app's last output:");
            foreach (var line in outcome.AppOutput.TakeLast(60)) AnsiConsole.WriteLine(line);
        }
        var verdict = outcome.Passed ? "[green]PASSED[/]" : "[red]FAILED[/]";
        AnsiConsole.MarkupLine($"chaos {verdict}: {outcome.Kills} kills, {N(ledger.TotalAcknowledged)} operations acknowledged, {outcome.Invariants.Count(i => i.Held)}/{outcome.Invariants.Count} invariants held");
    }
}
