using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Places;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Run;

namespace TattooDirectory.Features.Aggregation;

/// <summary>
/// <c>aggregate [--city Leeds …] [--wait]</c>: starts an aggregation run on the configured data
/// directory. Without <c>--wait</c> the run is recorded and the next start of the directory
/// carries it out (executions are durable); with it, this process hosts the workers, shows the run
/// live and exits 0 when it succeeded, 1 when it failed (2 for an unknown city). Like <c>reindex</c>, it needs the server
/// stopped: the search index takes one writer.
/// </summary>
internal static class AggregateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var cities = new Option<string[]>("--city") { Description = "A city to discover studios in (repeatable; default: Aggregation:Cities)." };
        var wait = new Option<bool>("--wait") { Description = "Run it here and show its progress until it ends." };
        var command = new Command("aggregate", "Start an aggregation run: discover studios, find their artists, scrape them.") { cities, wait };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => RunAsync(result.UnmatchedTokens, result.GetValue(cities) ?? [], result.GetValue(wait), console, ct));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, string[] cities, bool wait, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // Only the workers are wanted here; the web side listens on a loopback port nobody uses.
        string[] args = hostArgs.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)) ? [.. hostArgs] : [.. hostArgs, "--urls=http://127.0.0.1:0"];
        await using var app = DirectoryApp.Build(args);
        var runs = app.Services.GetRequiredService<AggregationRuns>();
        if (cities.FirstOrDefault(c => !Gazetteer.Default.TryResolve(c, out _)) is { } unknown)
        {
            console.MarkupLineInterpolated($"[red]'{unknown}' is not a city the directory knows.[/]");
            return 2;
        }
        if (!wait)
        {
            var queued = await runs.StartAsync(cities, cancellationToken);
            console.MarkupLineInterpolated($"Run [bold]{queued}[/] recorded; the directory carries it out when it next starts (or run with --wait).");
            return 0;
        }

        await app.StartAsync(cancellationToken);
        var runId = await runs.StartAsync(cities, cancellationToken);
        var queue = app.Services.GetRequiredService<IQueues>().Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);
        RunView? run = null;
        await console.Status().StartAsync($"Run {runId} starting…", async status =>
        {
            while ((run = await runs.GetAsync(runId, cancellationToken)) is { Status: ExecutionStatus.Running } or null)
            {
                var history = run is null ? [] : await runs.HistoryAsync(run, 10_000, cancellationToken);
                var state = history.LastOrDefault(e => e.Type.ToString().EndsWith("StateEntered", StringComparison.Ordinal))?.StateName ?? "starting";
                var stats = await queue.GetStatsAsync(cancellationToken);
                status.Status(Markup.Escape($"Run {runId}: {state} · {Counts(run?.Summary)} · queue {stats.Visible + stats.InFlight + stats.Delayed} waiting, {stats.DeadLetters} dead letters"));
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        });
        await app.StopAsync(CancellationToken.None);

        var succeeded = run!.Status == ExecutionStatus.Succeeded;
        var outcome = succeeded ? "[green]succeeded[/]" : $"[red]{run.Status.ToString().ToLowerInvariant()}[/]";
        console.MarkupLine($"Run [bold]{Markup.Escape(runId)}[/] {outcome}: {Markup.Escape(Counts(run.Summary))}.");
        if (run.Summary?.Error is { } error) console.MarkupLineInterpolated($"[red]{error}[/]");
        return succeeded ? 0 : 1;
    }

    private static string Counts(RunSummary? s) => s is null
        ? "discovering"
        : string.Create(CultureInfo.InvariantCulture, $"{s.Studios} studios, {s.ArtistsFound} artists found, {s.Queued} queued, {s.New} new, {s.Updated} updated, {s.Unchanged} unchanged, {s.Skipped} skipped, {s.Failed} failed");
}
