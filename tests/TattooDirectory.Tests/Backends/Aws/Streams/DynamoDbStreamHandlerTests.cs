using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws.Streams;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Aws.Streams;

/// <summary>The Lambda stream handler on the real sync, store and index of the Local backend.</summary>
public sealed class DynamoDbStreamHandlerTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_documented_batch_of_insert_modify_and_remove_reaches_the_index_and_a_poison_record_is_reported_with_those_after_it()
    {
        // artist-cccc1 was indexed, then deleted; the others changed since the index last saw them.
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-cccc1", "Gone Soon"), [], Ct);
        await _rig.DrainAsync();
        var removed = (await _rig.Table.GetAsync(Keys.ArtistProfile("artist-cccc1"), Ct))!;
        await _rig.Catalog.DeleteArtistAsync("artist-cccc1", Ct);
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-aaaa1", "Bramble Holloway"), [], Ct);
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-bbbb1", "Corin Vale"), [], Ct);
        var before = (await _rig.Table.GetAsync(Keys.ArtistProfile("artist-bbbb1"), Ct))!;
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-bbbb1", "Corin Vale Jr"), [], Ct);
        var after = (await _rig.Table.GetAsync(Keys.ArtistProfile("artist-bbbb1"), Ct))!;
        var inserted = (await _rig.Table.GetAsync(Keys.ArtistProfile("artist-aaaa1"), Ct))!;
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-eeee1", "After Poison"), [], Ct);
        var late = (await _rig.Table.GetAsync(Keys.ArtistProfile("artist-eeee1"), Ct))!;
        var poison = StreamEvents.Image(inserted);
        poison["version"] = new JsonObject { ["N"] = "not-a-number" };

        var response = await Handler().HandleAsync(StreamEvents.Event(
            StreamEvents.Record("INSERT", "111", inserted.Key, null, StreamEvents.Image(inserted)),
            StreamEvents.Record("MODIFY", "222", after.Key, StreamEvents.Image(before), StreamEvents.Image(after)),
            StreamEvents.Record("REMOVE", "333", removed.Key, StreamEvents.Image(removed), null),
            StreamEvents.Record("MODIFY", "444", inserted.Key, StreamEvents.Image(inserted), poison),
            StreamEvents.Record("INSERT", "555", late.Key, null, StreamEvents.Image(late))), Ct);

        Assert.Equal(["444", "555"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(inserted.Version, await _rig.Index.GetVersionAsync("artist-aaaa1", Ct));
        Assert.Equal("Corin Vale Jr", Assert.Single((await _rig.SearchAsync("corin")).Hits).Document.Name);
        Assert.Empty((await _rig.SearchAsync("gone")).Hits);
        Assert.Null(await _rig.Index.GetVersionAsync("artist-eeee1", Ct));
        Assert.Equal(2, await _rig.Index.CountAsync(Ct));
    }

    [Fact]
    public async Task The_response_is_the_documented_partial_batch_shape()
    {
        var json = JsonNode.Parse(new StreamBatchResponse([new BatchItemFailure("444")]).ToJson());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"batchItemFailures":[{"itemIdentifier":"444"}]}"""), json));
        Assert.Equal("""{"batchItemFailures":[]}""", (await Handler().HandleAsync(StreamEvents.Event(), Ct)).ToJson());
    }

    [Fact]
    public async Task When_the_index_refuses_the_batch_every_record_is_reported_for_retry()
    {
        var item = await _rig.Table.PutAsync(new Item { Pk = Keys.ArtistPk("artist-ffff1"), Sk = Keys.Profile, Data = "{}" }, cancellationToken: Ct);
        var sync = new IndexSync(_rig.Store, _rig.Table, UnconfiguredPort.Create<ISearchIndex>("Aws"), _rig.Catalog, _rig.Time, NullLogger<IndexSync>.Instance);
        var handler = new DynamoDbStreamHandler(sync, NullLogger<DynamoDbStreamHandler>.Instance);

        var response = await handler.HandleAsync(StreamEvents.Event(
            StreamEvents.Record("INSERT", "111", item.Key, null, StreamEvents.Image(item)),
            StreamEvents.Record("REMOVE", "222", item.Key, StreamEvents.Image(item), null)), Ct);

        Assert.Equal(["111", "222"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
    }

    [Fact]
    public async Task An_event_that_is_not_a_stream_batch_is_refused_whole()
    {
        await Assert.ThrowsAsync<StreamRecordException>(() => Handler().HandleAsync(JsonSerializer.SerializeToElement(new { Records = "no" }), Ct));
        var noSequence = StreamEvents.Record("INSERT", "111", new ItemKey("ARTIST#a", "PROFILE"), null, null);
        noSequence["dynamodb"]!.AsObject().Remove("SequenceNumber");
        await Assert.ThrowsAsync<StreamRecordException>(() => Handler().HandleAsync(StreamEvents.Event(noSequence), Ct));
    }

    private DynamoDbStreamHandler Handler() => new(_rig.Sync, NullLogger<DynamoDbStreamHandler>.Instance);
}
