using System.Runtime.CompilerServices;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Sync;

public sealed class ReindexerTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task An_edit_committed_while_the_scan_passes_an_artist_is_indexed_with_its_new_content()
    {
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-torn1", "Torn Read"), [TestArtists.Image("artist-torn1", "img-old1")], Ct);
        // The edit lands between the scan reading the artist's image item and its profile item.
        var table = new ScanHook(_rig.Store, Keys.ArtistImage("artist-torn1", "img-old1"), () =>
            _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-torn1", "Torn Read"), [TestArtists.Image("artist-torn1", "img-new1")], Ct));

        await new Reindexer(table, _rig.Index, _rig.Catalog, _rig.Time).RunAsync(cancellationToken: Ct);
        await _rig.DrainAsync();

        var document = Assert.Single((await _rig.SearchAsync("torn")).Hits).Document;
        Assert.Contains("img-new1", Assert.Single(document.Thumbnails));
    }

    [Fact]
    public async Task A_failing_index_fails_the_reindex_instead_of_hanging()
    {
        for (var i = 0; i < 30; i++) await _rig.Catalog.PutArtistAsync(TestArtists.Make($"artist-fail{i:D2}", $"Failing Index{i}"), [], Ct);
        var reindexer = new Reindexer(_rig.Store, new FailingIndex(_rig.Index), _rig.Catalog, _rig.Time);

        var run = reindexer.RunAsync(batchSize: 1, cancellationToken: Ct);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30), Ct));

        Assert.Same(run, finished);
        await Assert.ThrowsAsync<IOException>(() => run);
    }

    /// <summary>The real store, with an action run while its scan is between two given items.</summary>
    private sealed class ScanHook(ITable inner, ItemKey after, Func<Task> action) : ITable
    {
        public async IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var item in inner.ScanAsync(partitionKeyPrefix, cancellationToken))
            {
                yield return item;
                if (item.Key == after) await action();
            }
        }

        public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
        public Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
        public Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.PutAsync(item, condition, cancellationToken);
        public Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, condition, cancellationToken);
        public Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.TransactWriteAsync(writes, cancellationToken);
        public Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.BatchWriteAsync(writes, cancellationToken);
    }

    /// <summary>An index whose writes fail, as a full disk would make them.</summary>
    private sealed class FailingIndex(ISearchIndex inner) : ISearchIndex
    {
        public Task<int> ApplyAsync(IReadOnlyList<IndexOperation> operations, CancellationToken cancellationToken = default) => throw new IOException("No space left on device");
        public Task RefreshAsync(CancellationToken cancellationToken = default) => inner.RefreshAsync(cancellationToken);
        public Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);
        public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default) => inner.SearchAsync(request, cancellationToken);
        public Task<long?> GetVersionAsync(string artistId, CancellationToken cancellationToken = default) => inner.GetVersionAsync(artistId, cancellationToken);
        public IAsyncEnumerable<(string ArtistId, long Version)> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
        public IAsyncEnumerable<ArtistDocument> ListDocumentsAsync(CancellationToken cancellationToken = default) => inner.ListDocumentsAsync(cancellationToken);
        public Task<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
    }
}
