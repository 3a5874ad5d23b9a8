using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;

namespace TattooDirectory.Features.Seed;

public sealed class SeedSettings
{
    public const string Section = "Seed";

    /// <summary>Seed the bundled dataset on start when the store is empty.</summary>
    public bool OnStart { get; set; } = true;
}

/// <summary>Progress of one phase ("images", "store") of a seed run; Total is 0 when not known up front.</summary>
public sealed record SeedProgress(string Phase, int Done, int Total);

/// <param name="Skipped">Artists of the dataset left out because their identity is denylisted (removed on request).</param>
public sealed record SeedReport(int Studios, int Artists, int Blobs, TimeSpan Elapsed, int Skipped = 0);

/// <summary>
/// Writes the generated dataset: images to the blob store first (so no stored profile points at a
/// missing image), then studios and artists through the catalog's bulk load. The generator is
/// deterministic, so it is simply enumerated twice instead of being held in memory. Artists whose
/// identity was removed on request are left out before anything is written (the guarded store
/// would refuse them anyway, but only after their images had been put).
/// </summary>
public sealed partial class Seeder(ArtistCatalog catalog, IBlobStore blobs, ITable table, IndexSync sync, Denylist denylist, TimeProvider time, ILogger<Seeder> logger)
{
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var _ in table.ScanAsync(Keys.StudioPrefix, cancellationToken)) return false;
        await foreach (var _ in table.ScanAsync(Keys.ArtistPrefix, cancellationToken)) return false;
        return true;
    }

    public async Task<SeedReport> SeedAsync(SeedOptions options, bool writeBlobs = true, IProgress<SeedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var dataset = new SeedDataset(options);
        var denied = await denylist.SnapshotAsync(cancellationToken);
        var skipped = 0;
        IEnumerable<SeedArtist> Allowed(bool count) => dataset.Artists().Where(a =>
        {
            if (!denied.IsDenied(a.Artist)) return true;
            if (count) skipped++;
            return false;
        });
        var blobCount = 0;
        if (writeBlobs)
        {
            var written = 0;
            var files = Allowed(count: false).SelectMany(a => a.Images.SelectMany(i => new[] { i.Full, i.Thumbnail }).Append(a.Avatar));
            // Many puts in flight at once: the blob store makes them durable in groups, so the
            // wider the group the fewer file-system syncs the whole seed costs.
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = cancellationToken }, async (blob, ct) =>
            {
                using var content = new MemoryStream(blob.Render());
                await blobs.PutAsync(blob.Key, content, blob.ContentType, ImmutableCache, ct);
                var done = Interlocked.Increment(ref written);
                if (done % 500 == 0) progress?.Report(new SeedProgress("images", done, 0));
            });
            blobCount = written;
        }

        var loaded = 0;
        var studios = dataset.Studios().ToList();
        var artists = await catalog.BulkLoadAsync(studios, Allowed(count: true).Select(a =>
        {
            if (++loaded % 1000 == 0) progress?.Report(new SeedProgress("store", loaded, options.Artists));
            return (a.Artist, (IReadOnlyList<Core.Domain.PortfolioImage>)[.. a.Images.Select(i => i.Image)]);
        }), cancellationToken: cancellationToken);
        progress?.Report(new SeedProgress("store", artists, options.Artists));
        var report = new SeedReport(studios.Count, artists, blobCount, time.GetElapsedTime(started), skipped);
        LogSeeded(logger, report.Studios, report.Artists, report.Blobs, report.Skipped, report.Elapsed.TotalMilliseconds);
        return report;
    }

    /// <summary>Runs the sync until the index has every change so far.</summary>
    public async Task CatchUpIndexAsync(CancellationToken cancellationToken = default)
    {
        while ((await sync.RunOnceAsync(cancellationToken)).Records > 0) { }
        await sync.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Studios} studios, {Artists} artists and {Blobs} images ({Skipped} denylisted artists skipped) in {ElapsedMs:F0} ms")]
    private static partial void LogSeeded(ILogger logger, int studios, int artists, int blobs, int skipped, double elapsedMs);
}

/// <summary>Seeds the bundled dataset before the server listens, when the store is empty, and waits until it is searchable.</summary>
internal sealed class SeedOnStart(Seeder seeder, Microsoft.Extensions.Options.IOptions<SeedSettings> settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Value.OnStart || !await seeder.IsEmptyAsync(cancellationToken)) return;
        await seeder.SeedAsync(new SeedOptions(), cancellationToken: cancellationToken);
        await seeder.CatchUpIndexAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SeedModule
{
    public static WebApplicationBuilder AddSeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SeedSettings>().BindConfiguration(SeedSettings.Section);
        builder.Services.AddSingleton<Seeder>();
        builder.Services.AddHostedService<SeedOnStart>();
        return builder;
    }
}
