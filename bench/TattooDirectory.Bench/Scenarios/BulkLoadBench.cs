using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B6: bulk load 100k artists (store writes, then the sync indexing them from the change stream),
/// and a full reindex from the store into an empty index.
/// </summary>
public static class BulkLoadBench
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var size = settings.Quick ? 20_000 : 100_000;
        var dir = Paths.NewTemp("b6");
        try
        {
            double storeSeconds, syncSeconds;
            var stores = new LocalStores(dir.FullName, TimeProvider.System);
            var catalog = new ArtistCatalog(stores.Table, stores.BlobStore);
            var sync = new IndexSync(stores.Store, stores.Store, stores.Index, catalog, TimeProvider.System, NullLogger<IndexSync>.Instance) { BatchSize = 5000 };
            var dataset = new SeedDataset(Corpus.Options(size));
            var clock = Stopwatch.StartNew();
            await catalog.BulkLoadAsync(dataset.Studios(), dataset.Artists().Select(a => (a.Artist, (IReadOnlyList<PortfolioImage>)[.. a.Images.Select(i => i.Image)])), cancellationToken: ct);
            storeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            while ((await sync.RunOnceAsync(ct)).Records > 0) { }
            await sync.FlushAsync(ct);
            syncSeconds = clock.Elapsed.TotalSeconds;
            var indexed = await stores.Index.CountAsync(ct);
            stores.Dispose();

            // Reindex into an empty index, as `reindex` does after the index is lost.
            Paths.TryDelete(Path.Combine(dir.FullName, "index"));
            stores = new LocalStores(dir.FullName, TimeProvider.System);
            catalog = new ArtistCatalog(stores.Table, stores.BlobStore);
            var reindex = await new Reindexer(stores.Table, stores.Index, catalog, TimeProvider.System).RunAsync(cancellationToken: ct);
            stores.Dispose();

            var loadRate = size / (storeSeconds + syncSeconds);
            var reindexRate = reindex.Documents / reindex.Elapsed.TotalSeconds;
            return
            [
                new ScenarioResult("B6 load", $"Bulk load {size:N0} artists (store + index via the change stream)", "≥ 5,000 artists/s", loadRate >= 5000 && indexed == size,
                    $"{loadRate:N0} artists/s (store {storeSeconds:F1} s, sync {syncSeconds:F1} s, {indexed:N0} indexed)",
                    new Dictionary<string, object> { ["artistsPerSecond"] = Math.Round(loadRate), ["storeSeconds"] = Math.Round(storeSeconds, 2), ["syncSeconds"] = Math.Round(syncSeconds, 2), ["indexed"] = indexed }),
                new ScenarioResult("B6 reindex", $"Full reindex of {reindex.Documents:N0} artists from the store", "≥ 20,000 docs/s", reindexRate >= 20_000,
                    $"{reindexRate:N0} docs/s ({reindex.Elapsed.TotalSeconds:F1} s)",
                    new Dictionary<string, object> { ["docsPerSecond"] = Math.Round(reindexRate), ["seconds"] = Math.Round(reindex.Elapsed.TotalSeconds, 2) }),
            ];
        }
        finally
        {
            Paths.TryDelete(dir.FullName);
        }
    }
}
