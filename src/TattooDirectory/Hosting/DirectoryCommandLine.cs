using System.CommandLine;
using Spectre.Console;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Removal;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Hosting;

/// <summary>
/// One executable, several commands: serve (the default), seed, reindex, audit-removal, demo-web and aggregate. Options
/// it does not know (--urls, --Storage:DataDirectory=…) pass through to ASP.NET Core configuration.
/// </summary>
public static class DirectoryCommandLine
{
    /// <param name="console">
    /// Where the commands print and draw their progress (tests capture it); the terminal by default.
    /// Commands run side by side in one process (as tests do) need a console each: a console shows
    /// one live progress display at a time and refuses a second.
    /// </param>
    public static async Task<int> InvokeAsync(string[] args, IAnsiConsole? console = null)
    {
        var terminal = console ?? AnsiConsole.Console;
        var artists = new Option<int>("--artists") { Description = "How many artists to generate.", DefaultValueFactory = _ => new SeedOptions().Artists };
        var studios = new Option<int?>("--studios") { Description = "How many studios (default: one per five artists)." };
        var noImages = new Option<bool>("--no-images") { Description = "Skip writing portfolio images (bulk benchmarks)." };

        var serve = new Command("serve", "Run the directory: web, API and workers (the default).") { TreatUnmatchedTokensAsErrors = false };
        serve.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens, ct));

        var seed = new Command("seed", "Write the generated seed dataset into the store and index it.") { artists, studios, noImages };
        seed.TreatUnmatchedTokensAsErrors = false;
        seed.SetAction((result, ct) => SeedAsync(terminal, result.UnmatchedTokens, result.GetValue(artists), result.GetValue(studios), !result.GetValue(noImages), ct));

        var reindex = new Command("reindex", "Rebuild the search index from the store.") { TreatUnmatchedTokensAsErrors = false };
        reindex.SetAction((result, ct) => ReindexAsync(terminal, result.UnmatchedTokens, ct));

        var auditRemoval = AuditRemovalCommand.Create(terminal);
        var demoWeb = DemoWebCommand.Create(terminal);
        var aggregate = AggregateCommand.Create(terminal);

        var root = new RootCommand("Tattoo Directory: a searchable directory of UK tattoo artists.") { serve, seed, reindex, auditRemoval, demoWeb, aggregate };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens, ct));
        // A command that fails prints its exception where its own output goes: a caller reading the
        // console (a test) sees why it exited 1, which audit-removal also uses for "traces found".
        var invocation = console is null ? null : new InvocationConfiguration { Error = console.Profile.Out.Writer };
        return await root.Parse(args).InvokeAsync(invocation);
    }

    private static async Task<int> ServeAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
    {
        await using var app = DirectoryApp.Build([.. hostArgs]);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> SeedAsync(IAnsiConsole console, IReadOnlyList<string> hostArgs, int artists, int? studios, bool images, CancellationToken cancellationToken)
    {
        if (artists is < 1 or > 5_000_000) { console.MarkupLine("[red]--artists must be between 1 and 5,000,000.[/]"); return 2; }
        var options = new SeedOptions(artists, studios ?? Math.Max(1, artists / 5));
        await using var app = DirectoryApp.Build([.. hostArgs]);
        var seeder = app.Services.GetRequiredService<Seeder>();
        SeedReport? report = null;
        await console.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var bars = new SeedProgressBars(ctx);
            report = await seeder.SeedAsync(options, images, bars, cancellationToken);
            bars.Complete();
            var indexing = ctx.AddTask("Indexing", maxValue: 1).IsIndeterminate();
            await seeder.CatchUpIndexAsync(cancellationToken);
            indexing.IsIndeterminate(false).Value = 1;
        });
        console.MarkupLine($"Seeded [green]{report!.Studios}[/] studios, [green]{report.Artists}[/] artists and [green]{report.Blobs}[/] images in {report.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    private static async Task<int> ReindexAsync(IAnsiConsole console, IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
    {
        await using var app = DirectoryApp.Build([.. hostArgs]);
        var reindexer = app.Services.GetRequiredService<Reindexer>();
        ReindexResult? result = null;
        await console.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask("Reindexing artists").IsIndeterminate();
            result = await reindexer.RunAsync(new InlineProgress<int>(n => task.Description = $"Reindexing artists ({n:N0})"), cancellationToken: cancellationToken);
            task.IsIndeterminate(false).Value = task.MaxValue;
        });
        console.MarkupLine($"Reindexed [green]{result!.Documents:N0}[/] artists ({result.Applied:N0} written, {result.Removed:N0} removed) in {result.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    /// <summary>
    /// Applies each report on the reporting thread before Report returns, unlike
    /// <see cref="Progress{T}"/>, which posts it to the thread pool: there a report can run after
    /// the work returned, or after a later report, and overwrite the final state.
    /// </summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
