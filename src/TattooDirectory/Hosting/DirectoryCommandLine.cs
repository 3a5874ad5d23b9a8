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
    /// <param name="console">Where audit-removal and demo-web print (tests capture it); the terminal by default.</param>
    public static async Task<int> InvokeAsync(string[] args, IAnsiConsole? console = null)
    {
        var artists = new Option<int>("--artists") { Description = "How many artists to generate.", DefaultValueFactory = _ => new SeedOptions().Artists };
        var studios = new Option<int?>("--studios") { Description = "How many studios (default: one per five artists)." };
        var noImages = new Option<bool>("--no-images") { Description = "Skip writing portfolio images (bulk benchmarks)." };

        var serve = new Command("serve", "Run the directory: web, API and workers (the default).") { TreatUnmatchedTokensAsErrors = false };
        serve.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens, ct));

        var seed = new Command("seed", "Write the generated seed dataset into the store and index it.") { artists, studios, noImages };
        seed.TreatUnmatchedTokensAsErrors = false;
        seed.SetAction((result, ct) => SeedAsync(result.UnmatchedTokens, result.GetValue(artists), result.GetValue(studios), !result.GetValue(noImages), ct));

        var reindex = new Command("reindex", "Rebuild the search index from the store.") { TreatUnmatchedTokensAsErrors = false };
        reindex.SetAction((result, ct) => ReindexAsync(result.UnmatchedTokens, ct));

        var auditRemoval = AuditRemovalCommand.Create(console ?? AnsiConsole.Console);
        var demoWeb = DemoWebCommand.Create(console ?? AnsiConsole.Console);
        var aggregate = AggregateCommand.Create(console ?? AnsiConsole.Console);

        var root = new RootCommand("Tattoo Directory: a searchable directory of UK tattoo artists.") { serve, seed, reindex, auditRemoval, demoWeb, aggregate };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens, ct));
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ServeAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
    {
        await using var app = DirectoryApp.Build([.. hostArgs]);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> SeedAsync(IReadOnlyList<string> hostArgs, int artists, int? studios, bool images, CancellationToken cancellationToken)
    {
        if (artists is < 1 or > 5_000_000) { AnsiConsole.MarkupLine("[red]--artists must be between 1 and 5,000,000.[/]"); return 2; }
        var options = new SeedOptions(artists, studios ?? Math.Max(1, artists / 5));
        await using var app = DirectoryApp.Build([.. hostArgs]);
        var seeder = app.Services.GetRequiredService<Seeder>();
        SeedReport? report = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            var progress = new Progress<SeedProgress>(p =>
            {
                if (!tasks.TryGetValue(p.Phase, out var task)) tasks[p.Phase] = task = ctx.AddTask(p.Phase, maxValue: Math.Max(1, p.Total)).IsIndeterminate(p.Total == 0);
                task.Description = p.Phase == "images" ? $"Drawing portfolio images ({p.Done:N0})" : "Writing the store";
                if (p.Total > 0) task.Value = p.Done;
            });
            report = await seeder.SeedAsync(options, images, progress, cancellationToken);
            foreach (var task in tasks.Values) task.IsIndeterminate(false).Value = task.MaxValue;
            var indexing = ctx.AddTask("Indexing", maxValue: 1).IsIndeterminate();
            await seeder.CatchUpIndexAsync(cancellationToken);
            indexing.IsIndeterminate(false).Value = 1;
        });
        AnsiConsole.MarkupLine($"Seeded [green]{report!.Studios}[/] studios, [green]{report.Artists}[/] artists and [green]{report.Blobs}[/] images in {report.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    private static async Task<int> ReindexAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
    {
        await using var app = DirectoryApp.Build([.. hostArgs]);
        var reindexer = app.Services.GetRequiredService<Reindexer>();
        ReindexResult? result = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask("Reindexing artists").IsIndeterminate();
            result = await reindexer.RunAsync(new Progress<int>(n => task.Description = $"Reindexing artists ({n:N0})"), cancellationToken: cancellationToken);
            task.IsIndeterminate(false).Value = task.MaxValue;
        });
        AnsiConsole.MarkupLine($"Reindexed [green]{result!.Documents:N0}[/] artists ({result.Applied:N0} written, {result.Removed:N0} removed) in {result.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }
}
