using System.Text.Json;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Sync;

public sealed class IndexSyncTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Creates_updates_and_deletes_become_searchable()
    {
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-aaaa1", "Bramble Holloway", ["floral"]), [TestArtists.Image("artist-aaaa1", "img-aaaa1")], Ct);
        await _rig.DrainAsync();
        var created = await _rig.SearchAsync("bramble");
        Assert.Equal("artist-aaaa1", Assert.Single(created.Hits).Document.ArtistId);
        Assert.Single(created.Hits[0].Document.Thumbnails);

        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-aaaa1", "Bramble Holloway", ["japanese"]), [], Ct);
        await _rig.DrainAsync();
        var updated = Assert.Single((await _rig.SearchAsync("bramble")).Hits).Document;
        Assert.Equal(["japanese"], updated.Styles);
        Assert.Empty(updated.Thumbnails);
        Assert.Empty((await _rig.SearchAsync(null, "floral")).Hits);

        await _rig.Catalog.DeleteArtistAsync("artist-aaaa1", Ct);
        await _rig.DrainAsync();
        Assert.Empty((await _rig.SearchAsync("bramble")).Hits);
        Assert.Equal(0, await _rig.Index.CountAsync(Ct));
    }

    [Fact]
    public async Task The_index_carries_the_profile_version_and_a_stale_version_is_ignored()
    {
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-bbbb1", "Corin Vale"), [], Ct);
        var v2 = await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-bbbb1", "Corin Vale Jr"), [], Ct);
        await _rig.DrainAsync();
        Assert.Equal(v2, await _rig.Index.GetVersionAsync("artist-bbbb1", Ct));

        // A late, older document (a replayed record, a slow reindex) must not win.
        var stale = (await _rig.Catalog.BuildDocumentAsync("artist-bbbb1", cancellationToken: Ct))! with { Name = "Old Name", Version = v2 - 1 };
        Assert.Equal(0, await _rig.Index.ApplyAsync([new IndexOperation.Upsert(stale)], Ct));
        await _rig.Index.RefreshAsync(Ct);
        Assert.Equal("Corin Vale Jr", Assert.Single((await _rig.SearchAsync("corin")).Hits).Document.Name);
    }

    [Fact]
    public async Task Replaying_the_whole_stream_changes_nothing()
    {
        for (var i = 0; i < 5; i++) await _rig.Catalog.PutArtistAsync(TestArtists.Make($"artist-cccc{i}", $"Artist Number{i}"), [], Ct);
        await _rig.Catalog.DeleteArtistAsync("artist-cccc3", Ct);
        await _rig.DrainAsync();
        var before = await ListAsync();

        await _rig.Store.SaveCheckpointAsync(IndexSync.Consumer, 0, Ct);
        _rig.Sync.Reset();
        await _rig.DrainAsync();
        Assert.Equal(before, await ListAsync());
        Assert.Equal(4, before.Count);
    }

    [Fact]
    public async Task A_restart_resumes_from_the_checkpoint()
    {
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-dddd1", "Before Restart"), [], Ct);
        await _rig.DrainAsync();
        await _rig.Sync.FlushAsync(Ct);
        var checkpoint = await _rig.Store.GetCheckpointAsync(IndexSync.Consumer, Ct);
        Assert.Equal(await _rig.Store.GetLatestSequenceAsync(Ct), checkpoint);

        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-dddd2", "After Restart"), [], Ct);
        _rig.Restart();
        var pass = await _rig.Sync.RunOnceAsync(Ct);
        Assert.True(pass.Records > 0);
        Assert.Equal(await _rig.Store.GetLatestSequenceAsync(Ct), pass.Position);
        Assert.Single((await _rig.SearchAsync("after")).Hits);
        Assert.Single((await _rig.SearchAsync("before")).Hits);
        // Only the records after the checkpoint were read again.
        Assert.True(pass.Records < pass.Position);
    }

    [Fact]
    public async Task A_poison_record_is_dead_lettered_after_three_attempts_while_later_records_flow()
    {
        await _rig.Store.PutAsync(new Item { Pk = Keys.ArtistPk("artist-poison1"), Sk = Keys.Profile, Data = "{ not json" }, cancellationToken: Ct);
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-eeee1", "Healthy Later"), [], Ct);

        var pass = await _rig.Sync.RunOnceAsync(Ct);

        Assert.Equal(1, pass.DeadLettered);
        Assert.Single((await _rig.SearchAsync("healthy")).Hits);
        var letters = await _rig.Store.QueryAsync(new TableQuery(Keys.SyncDeadLetterPk), Ct);
        var letter = JsonSerializer.Deserialize(Assert.Single(letters.Items).Data, CatalogJson.Default.SyncDeadLetter)!;
        Assert.Equal("artist-poison1", letter.ArtistId);
        Assert.Equal(IndexSync.MaxAttempts, letter.Attempts);
        Assert.True(pass.Position >= letter.Sequence, "the position moved past the poison record");
        var next = await _rig.Sync.RunOnceAsync(Ct);
        Assert.Equal(0, next.DeadLettered);
    }

    [Fact]
    public async Task Reindex_rebuilds_an_empty_index_and_drops_documents_the_store_no_longer_has()
    {
        for (var i = 0; i < 30; i++) await _rig.Catalog.PutArtistAsync(TestArtists.Make($"artist-ffff{i:D2}", $"Reindexed Person{i}"), [], Ct);
        var orphan = (await _rig.Catalog.BuildDocumentAsync("artist-ffff00", cancellationToken: Ct))! with { ArtistId = "artist-orphan1", Version = 1 };
        await _rig.Index.ApplyAsync([new IndexOperation.Upsert(orphan)], Ct);

        var result = await new Reindexer(_rig.Store, _rig.Index, _rig.Catalog, _rig.Time).RunAsync(cancellationToken: Ct);

        Assert.Equal(30, result.Documents);
        Assert.Equal(30, result.Applied);
        Assert.Equal(1, result.Removed);
        Assert.Equal(30, await _rig.Index.CountAsync(Ct));
        Assert.Null((await _rig.SearchAsync("person0")).Hits.FirstOrDefault(h => h.Document.ArtistId == "artist-orphan1"));
    }

    private async Task<List<(string, long)>> ListAsync()
    {
        var list = new List<(string, long)>();
        await foreach (var entry in _rig.Index.ListAsync(Ct)) list.Add(entry);
        return [.. list.Order()];
    }
}
