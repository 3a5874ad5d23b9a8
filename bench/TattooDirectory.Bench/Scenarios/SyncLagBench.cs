using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B5: commit → visible in search, at a sustained 100 writes/s against a 10k-artist directory.
/// The sync runs as in the app (wake on commit, one pass, NRT refresh); a write counts as visible
/// when a pass that covered its sequence has refreshed the index.
/// </summary>
public static class SyncLagBench
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var dir = Paths.NewTemp("b5");
        try
        {
            using var stores = new LocalStores(dir.FullName, TimeProvider.System);
            var catalog = new ArtistCatalog(stores.Table, stores.BlobStore);
            var sync = new IndexSync(stores.Store, stores.Store, stores.Index, catalog, TimeProvider.System, NullLogger<IndexSync>.Instance);
            var dataset = new SeedDataset(Corpus.Options(10_000));
            await catalog.BulkLoadAsync(dataset.Studios(), dataset.Artists().Select(a => (a.Artist, (IReadOnlyList<PortfolioImage>)[.. a.Images.Select(i => i.Image)])), cancellationToken: ct);
            while ((await sync.RunOnceAsync(ct)).Records > 0) { }

            var passes = new ConcurrentQueue<(long Position, long At)>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var worker = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var pass = await sync.RunOnceAsync(CancellationToken.None);
                    if (pass.Records > 0) passes.Enqueue((pass.Position, pass.VisibleAt));
                    else
                    {
                        try { await stores.Store.WaitForChangesAsync(pass.Position, TimeSpan.FromMilliseconds(200), stop.Token); }
                        catch (OperationCanceledException) { }
                    }
                }
            }, CancellationToken.None);

            var writes = new List<(long Sequence, long CommittedAt)>();
            var artists = dataset.Artists().Take(settings.Quick ? 300 : 1000).ToList();
            var interval = TimeSpan.FromMilliseconds(10); // 100 writes/s
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < artists.Count; i++)
            {
                var due = start + (long)(interval.TotalSeconds * i * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                var a = artists[i];
                await catalog.PutArtistAsync(a.Artist with { Rating = Math.Round(3.5 + (i % 15) / 10.0, 1) }, [.. a.Images.Select(x => x.Image)], ct);
                writes.Add((await stores.Store.GetLatestSequenceAsync(ct), Stopwatch.GetTimestamp()));
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
            while (passes.LastOrDefault().Position < writes[^1].Sequence && Stopwatch.GetTimestamp() < deadline) await Task.Delay(5, ct);
            await stop.CancelAsync();
            await worker;

            var passList = passes.ToArray();
            var lags = writes.Select(w =>
            {
                var visible = passList.FirstOrDefault(p => p.Position >= w.Sequence);
                return visible.At == 0 ? double.PositiveInfinity : Math.Max(0, Stopwatch.GetElapsedTime(w.CommittedAt, visible.At).TotalMilliseconds);
            }).ToList();
            var check = await stores.Index.SearchAsync(new SearchRequest { Text = artists[^1].Artist.Name, Limit = 5 }, ct);
            var stats = Stats.Of(lags);
            var rate = writes.Count / elapsed.TotalSeconds;
            return [new ScenarioResult("B5", $"Sync lag, commit → searchable, {rate:F0} writes/s sustained over 10k artists", "p99 ≤ 50 ms", stats.P99 <= 50 && check.Total > 0,
                stats.ToString(), new Dictionary<string, object> { ["lagMs"] = stats, ["writesPerSecond"] = Math.Round(rate, 1), ["lastWriteFound"] = check.Total > 0 })];
        }
        finally
        {
            Paths.TryDelete(dir.FullName);
        }
    }
}
