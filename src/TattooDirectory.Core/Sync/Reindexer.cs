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
public sealed class Reindexer(ITable table, ISearchIndex index, ArtistCatalog catalog, TimeProvider time)
{
    public async Task<ReindexResult> RunAsync(IProgress<int>? progress = null, int batchSize = 2000, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var applied = 0;
        var partition = new List<Item>();
        string? currentPk = null;
        var studios = new StudioCache();

        // Reading the store and writing the index overlap: the scan fills batches while the
        // index applies the previous ones (bounded, so memory stays flat on a million artists).
        var batches = Channel.CreateBounded<List<IndexOperation>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var ready in batches.Reader.ReadAllAsync(cancellationToken))
            {
                applied += await index.ApplyAsync(ready, cancellationToken);
            }
        }, cancellationToken);
        var batch = new List<IndexOperation>(batchSize);
        try
        {
            await foreach (var item in table.ScanAsync(Keys.ArtistPrefix, cancellationToken))
            {
                if (item.Pk != currentPk)
                {
                    await AddAsync();
                    partition.Clear();
                    currentPk = item.Pk;
                }
                partition.Add(item);
            }
            await AddAsync();
            await FlushAsync();
        }
        finally
        {
            batches.Writer.TryComplete();
        }
        await writer;

        // Listing reads the searchable view, so make every write so far part of it first.
        await index.RefreshAsync(cancellationToken);
        var removed = 0;
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
        if (stale.Count > 0) removed = await index.ApplyAsync(stale, cancellationToken);
        await index.RefreshAsync(cancellationToken);
        await index.CommitAsync(cancellationToken);
        return new ReindexResult(seen.Count, applied, removed, time.GetElapsedTime(started));

        async Task AddAsync()
        {
            var profile = partition.FirstOrDefault(i => i.Sk == Keys.Profile);
            if (profile is null) return;
            var artist = ArtistItems.ReadArtist(profile);
            var images = partition.Where(i => i.Sk.StartsWith(Keys.ImagePrefix, StringComparison.Ordinal)).Select(ArtistItems.ReadImage).ToList();
            var studio = artist.StudioId is null ? null : await studios.GetAsync(artist.StudioId, id => catalog.GetStudioAsync(id, cancellationToken));
            batch.Add(new IndexOperation.Upsert(catalog.ToDocument(artist, studio, images, profile.Version)));
            seen.Add(artist.ArtistId);
            if (batch.Count >= batchSize) await FlushAsync();
        }

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            await batches.Writer.WriteAsync(batch, cancellationToken);
            batch = new List<IndexOperation>(batchSize);
            progress?.Report(seen.Count);
        }
    }

}
