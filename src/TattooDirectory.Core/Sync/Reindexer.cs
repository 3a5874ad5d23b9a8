using System.Threading.Channels;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Sync;

public sealed record ReindexResult(int Documents, int Applied, int Removed, TimeSpan Elapsed);

/// <summary>
/// Rebuilds the search index from the store. Safe while serving and while the sync runs: every
/// write carries the store's version, so whichever of the two is newer wins, and documents the
/// store no longer has are removed at the end.
/// </summary>
/// <remarks>
/// The scan only discovers artist ids. Each document is then read with one partition query,
/// because a scan page can end in the middle of an artist: images from before a concurrent edit
/// and the profile from after it would make a document at the new version with old content, and
/// the index would then refuse the sync's correct document at that same version.
/// </remarks>
public sealed class Reindexer(ITable table, ISearchIndex index, ArtistCatalog catalog, TimeProvider time)
{
    public int BuildConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    public async Task<ReindexResult> RunAsync(IProgress<int>? progress = null, int batchSize = 2000, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var studios = new StudioCache();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failed.Token;

        // Three stages overlap, each bounded so memory stays flat on a million artists: the scan
        // finds ids, builders read and build documents, one writer applies batches to the index.
        var ids = Channel.CreateBounded<string>(new BoundedChannelOptions(batchSize) { SingleWriter = true });
        var documents = Channel.CreateBounded<IndexOperation>(new BoundedChannelOptions(batchSize * 2) { SingleReader = true });
        var stages = new List<Task>
        {
            Stage(async () =>
            {
                await foreach (var item in table.ScanAsync(Keys.ArtistPrefix, token))
                {
                    if (item.Sk != Keys.Profile) continue;
                    var artistId = Keys.ArtistIdOf(item.Pk)!;
                    seen.Add(artistId);
                    await ids.Writer.WriteAsync(artistId, token);
                }
            }, () => ids.Writer.TryComplete()),
            Stage(() => Parallel.ForEachAsync(ids.Reader.ReadAllAsync(token), new ParallelOptions { MaxDegreeOfParallelism = BuildConcurrency, CancellationToken = token }, async (artistId, ct) =>
            {
                // Null when the artist was deleted since the scan saw it: the sync handles that.
                if (await catalog.BuildDocumentAsync(artistId, studios, ct) is { } document)
                {
                    await documents.Writer.WriteAsync(new IndexOperation.Upsert(document), ct);
                }
            }), () => documents.Writer.TryComplete()),
        };
        var applied = 0;
        var written = 0;
        stages.Add(Stage(async () =>
        {
            var batch = new List<IndexOperation>(batchSize);
            await foreach (var operation in documents.Reader.ReadAllAsync(token))
            {
                batch.Add(operation);
                if (batch.Count < batchSize) continue;
                await FlushAsync();
            }
            await FlushAsync();

            async Task FlushAsync()
            {
                if (batch.Count == 0) return;
                applied += await index.ApplyAsync(batch, token);
                written += batch.Count;
                batch = new List<IndexOperation>(batchSize);
                progress?.Report(written);
            }
        }, complete: null));
        try
        {
            await Task.WhenAll(stages);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A stage failed and cancelled the others: surface its error, not their cancellation.
            var cause = stages.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }

        // Listing reads the searchable view, so make every write so far part of it first.
        await index.RefreshAsync(cancellationToken);
        var stale = new List<IndexOperation>();
        await foreach (var (artistId, version) in index.ListAsync(cancellationToken))
        {
            // Not in the scan may still mean "created after the scan passed its key": only a
            // document the store does not have now is stale. A later re-create carries a higher
            // version than this tombstone, so it still wins.
            if (!seen.Contains(artistId) && await table.GetAsync(Keys.ArtistProfile(artistId), cancellationToken) is null)
            {
                stale.Add(new IndexOperation.Delete(artistId, version + 1));
            }
        }
        var removed = stale.Count > 0 ? await index.ApplyAsync(stale, cancellationToken) : 0;
        await index.RefreshAsync(cancellationToken);
        await index.CommitAsync(cancellationToken);
        return new ReindexResult(seen.Count, applied, removed, time.GetElapsedTime(started));

        // Runs one stage; when it ends its output channel completes, and when it fails every
        // other stage is cancelled so nothing waits forever on a channel nobody drains.
        async Task Stage(Func<Task> run, Action? complete)
        {
            try
            {
                await run();
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                complete?.Invoke();
            }
        }
    }
}
