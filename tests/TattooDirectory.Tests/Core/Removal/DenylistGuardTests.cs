using System.Text;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class DenylistGuardTests : IAsyncLifetime
{
    private static readonly Studio Parlour = new() { StudioId = "studio-guard1", Name = "Guard Parlour", Address = "1 Lane", City = "Leeds", Postcode = "LS1 1AA", Geo = TestArtists.Leeds };
    private readonly LocalBackendRig _rig = new();
    private readonly Artist _removed = TestArtists.Make("artist-gone1", "Removed Person", studioId: Parlour.StudioId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _rig.Catalog.PutStudioAsync(Parlour, Ct);
        await _rig.DenyAsync(_removed);
    }

    public ValueTask DisposeAsync()
    {
        _rig.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Re_adding_a_removed_profile_through_PutAsync_is_refused()
    {
        var refused = await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Table.PutAsync(ArtistItems.Profile(_removed), cancellationToken: Ct));

        Assert.Equal([_removed.ArtistId], refused.ArtistIds);
        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, _removed.ArtistId));
    }

    [Fact]
    public async Task Any_item_of_a_removed_artist_id_is_refused_even_without_its_profile()
    {
        var image = ArtistItems.Image(TestArtists.Image(_removed.ArtistId, "img-late1"));

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Table.PutAsync(image, cancellationToken: Ct));
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Table.PutAsync(ArtistItems.Membership(Parlour.StudioId, _removed), cancellationToken: Ct));
    }

    [Fact]
    public async Task Re_adding_a_removed_artist_inside_a_transaction_refuses_the_whole_transaction()
    {
        var other = ArtistItems.Profile(TestArtists.Make("artist-fine1", "Fine Artist"));

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Table.TransactWriteAsync(
            [new TableWrite.Put(other), new TableWrite.Put(ArtistItems.Profile(_removed))], Ct));

        Assert.Null(await _rig.Table.GetAsync(other.Key, Ct));
        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, _removed.ArtistId));
    }

    [Fact]
    public async Task A_batch_drops_the_removed_artist_writes_the_rest_and_then_reports_the_refusal()
    {
        var other = ArtistItems.Profile(TestArtists.Make("artist-fine2", "Fine Artist"));

        var refused = await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Table.BatchWriteAsync(
            [new TableWrite.Put(other), new TableWrite.Put(ArtistItems.Profile(_removed)), new TableWrite.Put(ArtistItems.Image(TestArtists.Image(_removed.ArtistId, "img-late2")))], Ct));

        Assert.Equal([_removed.ArtistId], refused.ArtistIds);
        Assert.NotNull(await _rig.Table.GetAsync(other.Key, Ct));
        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, _removed.ArtistId));
    }

    [Fact]
    public async Task The_catalog_cannot_put_a_removed_artist_back()
    {
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(_removed, [TestArtists.Image(_removed.ArtistId, "img-back1")], Ct));

        Assert.Null(await _rig.Catalog.GetArtistAsync(_removed.ArtistId, Ct));
    }

    [Fact]
    public async Task A_bulk_load_loads_everyone_but_the_removed_artist()
    {
        var others = Enumerable.Range(1, 60).Select(i => TestArtists.Make($"artist-bulk{i:D3}", $"Bulk Artist {i}")).ToList();
        var artists = others.Prepend(_removed).Select(a => (a, (IReadOnlyList<PortfolioImage>)[TestArtists.Image(a.ArtistId, $"img-{a.ArtistId[7..]}")]));

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.BulkLoadAsync([Parlour], artists, cancellationToken: Ct));

        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, _removed.ArtistId));
        foreach (var artist in others) Assert.NotNull(await _rig.Catalog.GetArtistAsync(artist.ArtistId, Ct));
    }

    [Fact]
    public async Task A_new_id_with_the_removed_instagram_handle_is_refused()
    {
        var reborn = TestArtists.Make("artist-newid1", "Quite Different") with { InstagramHandle = "@" + _removed.InstagramHandle!.ToUpperInvariant() };

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(reborn, [], Ct));
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.BulkLoadAsync([], [(reborn, [])], cancellationToken: Ct));
    }

    [Fact]
    public async Task A_new_id_with_the_removed_name_at_the_same_studio_is_refused()
    {
        var reborn = _removed with { ArtistId = "artist-newid2", InstagramHandle = null, Name = "removed  PERSON" };

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(reborn, [], Ct));
    }

    [Fact]
    public async Task Other_artists_are_unaffected_including_a_namesake_at_another_studio()
    {
        var namesake = TestArtists.Make("artist-namesake1", _removed.Name);
        var stranger = TestArtists.Make("artist-stranger1", "Someone Else", studioId: Parlour.StudioId);

        await _rig.Catalog.PutArtistAsync(namesake, [], Ct);
        await _rig.Catalog.PutArtistAsync(stranger, [], Ct);
        await _rig.Table.BatchWriteAsync([new TableWrite.Put(ArtistItems.Profile(stranger with { Bio = "Updated" }))], Ct);

        Assert.NotNull(await _rig.Catalog.GetArtistAsync(namesake.ArtistId, Ct));
        Assert.Equal("Updated", (await _rig.Catalog.GetArtistAsync(stranger.ArtistId, Ct))!.Artist.Bio);
    }

    [Fact]
    public async Task A_failing_original_condition_keeps_its_usual_exception()
    {
        var fine = ArtistItems.Profile(TestArtists.Make("artist-cond1", "Conditional Artist"));
        await _rig.Table.PutAsync(fine, cancellationToken: Ct);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _rig.Table.PutAsync(fine, WriteCondition.NotExists, Ct));
        var cancelled = await Assert.ThrowsAsync<TransactionCanceledException>(() => _rig.Table.TransactWriteAsync(
            [new TableWrite.Put(ArtistItems.Profile(TestArtists.Make("artist-cond2", "Another"))), new TableWrite.Put(fine, WriteCondition.NotExists)], Ct));
        Assert.Equal([null, "ConditionalCheckFailed"], cancelled.Reasons);
    }

    [Fact]
    public async Task Denylist_entries_cannot_be_deleted_by_any_write()
    {
        var entry = Keys.Denied(_rig.Denylist.Hasher.ArtistId(_removed.ArtistId));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.Table.DeleteAsync(entry, cancellationToken: Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.Table.TransactWriteAsync([new TableWrite.Delete(entry)], Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.Table.BatchWriteAsync([new TableWrite.Delete(entry)], Ct));

        Assert.True(await _rig.Denylist.IsArtistIdDeniedAsync(_removed.ArtistId, Ct));
    }

    [Fact]
    public async Task A_batch_racing_a_purge_that_denylists_between_its_check_and_its_write_ends_with_the_items_gone()
    {
        var racer = TestArtists.Make("artist-racer1", "Racing Artist");
        var denyDuringWrite = new DenyOnFirstBatch(_rig.Store, () => _rig.DenyAsync(racer));
        var guarded = new DenylistGuard(denyDuringWrite, _rig.Denylist.Hasher);

        await Assert.ThrowsAsync<IdentityDeniedException>(() => guarded.BatchWriteAsync(
            [new TableWrite.Put(ArtistItems.Profile(racer)), new TableWrite.Put(ArtistItems.Image(TestArtists.Image(racer.ArtistId, "img-race1")))], Ct));

        Assert.True(denyDuringWrite.Denied);
        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, racer.ArtistId));
    }

    [Fact]
    public async Task A_batch_that_fails_after_committing_while_a_purge_denylists_is_still_undone()
    {
        var racer = TestArtists.Make("artist-racer2", "Failing Racer");
        var denyDuringWrite = new DenyOnFirstBatch(_rig.Store, () => _rig.DenyAsync(racer), failAfterWrite: true);
        var guarded = new DenylistGuard(denyDuringWrite, _rig.Denylist.Hasher);

        await Assert.ThrowsAsync<IOException>(() => guarded.BatchWriteAsync(
            [new TableWrite.Put(ArtistItems.Profile(racer)), new TableWrite.Put(ArtistItems.Image(TestArtists.Image(racer.ArtistId, "img-race2")))], Ct));

        Assert.Empty(await RemovalTestData.TracesAsync(_rig.Store, racer.ArtistId));
    }

    [Fact]
    public async Task Removing_an_artist_without_a_studio_does_not_refuse_an_independent_namesake()
    {
        var independent = TestArtists.Make("artist-solo1", "Solo Namesake") with { StudioId = null, InstagramHandle = "solo.one" };
        await _rig.DenyAsync(independent);

        var namesake = TestArtists.Make("artist-solo2", "Solo Namesake") with { StudioId = null, InstagramHandle = "solo.two" };
        await _rig.Catalog.PutArtistAsync(namesake, [], Ct);

        Assert.NotNull(await _rig.Catalog.GetArtistAsync(namesake.ArtistId, Ct));
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(independent with { ArtistId = "artist-solo3" }, [], Ct));
    }

    [Fact]
    public async Task Blob_puts_under_a_removed_artist_are_refused_and_others_pass()
    {
        await Assert.ThrowsAsync<IdentityDeniedException>(() => PutBlobAsync(_rig.BlobStore, ArtistBlobs.Prefix(_removed.ArtistId) + "img-back.svg"));
        await PutBlobAsync(_rig.BlobStore, ArtistBlobs.Prefix("artist-fine3") + "img-1.svg");

        Assert.Null(await _rig.Blobs.HeadAsync(ArtistBlobs.Prefix(_removed.ArtistId) + "img-back.svg", Ct));
        Assert.NotNull(await _rig.Blobs.HeadAsync(ArtistBlobs.Prefix("artist-fine3") + "img-1.svg", Ct));
    }

    [Fact]
    public async Task Many_concurrent_blob_puts_refuse_exactly_those_of_the_removed_artist()
    {
        var keys = Enumerable.Range(0, 200).Select(i => ArtistBlobs.Prefix(i % 10 == 0 ? _removed.ArtistId : $"artist-many{i % 10}") + $"img-{i}.svg").ToList();

        var outcomes = await Task.WhenAll(keys.Select(async key =>
        {
            try
            {
                await PutBlobAsync(_rig.BlobStore, key);
                return true;
            }
            catch (IdentityDeniedException)
            {
                return false;
            }
        }));

        Assert.Equal(keys.Select(k => !k.Contains(_removed.ArtistId, StringComparison.Ordinal)), outcomes);
        Assert.Empty(await ListAsync(ArtistBlobs.Prefix(_removed.ArtistId)));
        Assert.Equal(180, (await ListAsync(ArtistBlobs.Root)).Count);
    }

    [Fact]
    public async Task A_blob_put_racing_a_purge_that_denylists_during_the_put_ends_with_the_blob_gone()
    {
        var racer = TestArtists.Make("artist-racer2", "Racing Artist");
        var key = ArtistBlobs.Prefix(racer.ArtistId) + "img-race.svg";
        using var content = new DenyWhileUploading(() => _rig.DenyAsync(racer));

        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.BlobStore.PutAsync(key, content, "image/svg+xml", cancellationToken: Ct));

        Assert.Null(await _rig.Blobs.HeadAsync(key, Ct));
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in _rig.Blobs.ListAsync(prefix, Ct)) keys.Add(blob.Key);
        return keys;
    }

    private static async Task PutBlobAsync(IBlobStore store, string key)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("<svg/>"));
        await store.PutAsync(key, content, "image/svg+xml", cancellationToken: Ct);
    }

    /// <summary>A purge's denylist commit landing after the guard's pre-check, just before the batch reaches the store.</summary>
    private sealed class DenyOnFirstBatch(ITable inner, Func<Task> deny, bool failAfterWrite = false) : ITable
    {
        public bool Denied { get; private set; }

        public async Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
        {
            if (!Denied)
            {
                Denied = true;
                await deny();
            }
            await inner.BatchWriteAsync(writes, cancellationToken);
            // A later chunk failing (or the caller cancelling) after this one committed.
            if (failAfterWrite && writes.Any(w => w is TableWrite.Put)) throw new IOException("disk full after the first chunk");
        }

        public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
        public Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
        public Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.PutAsync(item, condition, cancellationToken);
        public Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, condition, cancellationToken);
        public Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.TransactWriteAsync(writes, cancellationToken);
        public IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, CancellationToken cancellationToken = default) => inner.ScanAsync(partitionKeyPrefix, cancellationToken);
    }

    /// <summary>Content whose upload lets a purge's denylist commit land while the put is in flight.</summary>
    private sealed class DenyWhileUploading(Func<Task> deny) : MemoryStream(Encoding.UTF8.GetBytes("<svg/>"))
    {
        public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
        {
            await deny();
            await base.CopyToAsync(destination, bufferSize, cancellationToken);
        }
    }
}
