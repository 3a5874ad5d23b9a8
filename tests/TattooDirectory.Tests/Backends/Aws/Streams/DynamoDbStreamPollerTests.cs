using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Backends.Aws.Streams;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Backends.Aws.Streams;

/// <summary>
/// The shard poller against the documented DynamoDB Streams requests and answers (DescribeStream,
/// GetShardIterator, GetRecords, error bodies), with the checkpoint item going through the SDK:
/// both captured by handlers, nothing on the network.
/// </summary>
public sealed class DynamoDbStreamPollerTests : IDisposable
{
    private const string Parent = "shardId-00000001414562045508-2bac9cd2";
    private const string Child = "shardId-00000001414576573621-f55eea83";
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly ItemKey Ada = new("ARTIST#artist-aaaa1", "PROFILE");
    private static readonly Item AdaV1 = new() { Pk = Ada.Pk, Sk = Ada.Sk, Data = """{"n":1}""", Version = 1, UpdatedAt = Now };
    private static readonly Item AdaV2 = AdaV1 with { Data = """{"n":2}""", Version = 2 };

    private readonly CannedHttp _streams = new();
    private readonly CannedHttp _dynamoDb = new();
    private readonly List<IDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var each in _owned) each.Dispose();
        _streams.Dispose();
        _dynamoDb.Dispose();
    }

    [Fact]
    public async Task A_first_read_lists_the_shards_starts_at_the_trim_horizon_and_hands_out_the_records_in_order()
    {
        _dynamoDb.Respond(HttpStatusCode.OK, "{}");
        _streams.Respond(HttpStatusCode.OK, DescribeStream(Shard(Parent, null)))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"iterator-1"}""")
            .Respond(HttpStatusCode.OK, GetRecords("iterator-2",
                StreamEvents.Record("INSERT", "300000000000000499659", Ada, null, StreamEvents.Image(AdaV1)),
                StreamEvents.Record("MODIFY", "400000000000000499660", Ada, StreamEvents.Image(AdaV1), StreamEvents.Image(AdaV2)),
                StreamEvents.Record("MODIFY", "500000000000000499661", Ada, StreamEvents.Image(AdaV2), StreamEvents.Tombstone(Ada, 3))));

        var records = await Poller().ReadAsync(0, 100, Ct);

        Assert.Equal([(1L, ChangeKind.Insert), (2L, ChangeKind.Modify), (3L, ChangeKind.Remove)], records.Select(r => (r.Sequence, r.Kind)));
        Assert.Equal(AdaV2, records[2].OldImage);
        AssertCall(0, "DescribeStream", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}"}""");
        AssertCall(1, "GetShardIterator", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}","ShardId":"{{Parent}}","ShardIteratorType":"TRIM_HORIZON"}""");
        AssertCall(2, "GetRecords", """{"ShardIterator":"iterator-1","Limit":100}""");
        Assert.Contains("/us-east-1/dynamodb/aws4_request", _streams.Requests[0].Request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Equal("application/x-amz-json-1.0", _streams.Requests[0].Request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_checkpoint_stores_the_position_per_shard_and_a_restarted_poller_resumes_after_it()
    {
        _dynamoDb.Respond(HttpStatusCode.OK, "{}");
        _streams.Respond(HttpStatusCode.OK, DescribeStream(Shard(Parent, null)))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"iterator-1"}""")
            .Respond(HttpStatusCode.OK, GetRecords("iterator-2",
                StreamEvents.Record("INSERT", "300000000000000499659", Ada, null, StreamEvents.Image(AdaV1)),
                StreamEvents.Record("MODIFY", "400000000000000499660", Ada, StreamEvents.Image(AdaV1), StreamEvents.Image(AdaV2))));
        var poller = Poller();
        await poller.ReadAsync(0, 100, Ct);
        var saved = new JsonObject { ["ticket"] = 1, ["shards"] = new JsonObject { [Parent] = "300000000000000499659" } };
        _dynamoDb.Respond(HttpStatusCode.OK, CheckpointItem(saved, "Attributes"));

        await poller.SaveCheckpointAsync("search-index", 1, Ct);

        var update = JsonNode.Parse(_dynamoDb.Requests[^1].Body)!;
        Assert.Equal("DynamoDB_20120810.UpdateItem", _dynamoDb.Requests[^1].Request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("""{"PK":{"S":"STREAM#CHECKPOINT"},"SK":{"S":"search-index"}}""", update["Key"]!.ToJsonString());
        var data = update["ExpressionAttributeValues"]!.AsObject().Select(v => v.Value!["S"]?.GetValue<string>()).Single(s => s?.StartsWith('{') == true);
        Assert.True(JsonNode.DeepEquals(saved, JsonNode.Parse(data!)), data);

        // A new process: the checkpoint says where each shard was left.
        _dynamoDb.Respond(HttpStatusCode.OK, CheckpointItem(saved));
        _streams.Respond(HttpStatusCode.OK, DescribeStream(Shard(Parent, null)))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"iterator-3"}""")
            .Respond(HttpStatusCode.OK, GetRecords("iterator-4",
                StreamEvents.Record("MODIFY", "400000000000000499660", Ada, StreamEvents.Image(AdaV1), StreamEvents.Image(AdaV2))));
        var restarted = Poller();

        Assert.Equal(1, await restarted.GetCheckpointAsync("search-index", Ct));
        var resumed = await restarted.ReadAsync(1, 100, Ct);
        Assert.Equal((2L, AdaV2), (Assert.Single(resumed).Sequence, resumed[0].NewImage));
        AssertCall(4, "GetShardIterator", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}","ShardId":"{{Parent}}","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"300000000000000499659"}""");
    }

    [Fact]
    public async Task A_child_shard_is_read_only_after_its_parent_is_read_to_the_end_and_checkpoint_writes_are_passed_over()
    {
        var checkpointKey = new ItemKey(DynamoDbStreamPoller.CheckpointPk, "search-index");
        _dynamoDb.Respond(HttpStatusCode.OK, "{}");
        _streams.Respond(HttpStatusCode.OK, DescribeStream(Shard(Child, Parent), Shard(Parent, null)))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"parent-1"}""")
            // No NextShardIterator: the parent is closed and read to the end.
            .Respond(HttpStatusCode.OK, GetRecords(null,
                StreamEvents.Record("INSERT", "300000000000000499659", Ada, null, StreamEvents.Image(AdaV1)),
                StreamEvents.Record("INSERT", "300000000000000499670", checkpointKey, null, StreamEvents.Image(new Item { Pk = checkpointKey.Pk, Sk = checkpointKey.Sk, Data = "{}", Version = 1, UpdatedAt = Now }))))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"child-1"}""")
            .Respond(HttpStatusCode.OK, GetRecords("child-2",
                StreamEvents.Record("MODIFY", "400000000000000499660", Ada, StreamEvents.Image(AdaV1), StreamEvents.Image(AdaV2))));
        var poller = Poller();

        var first = await poller.ReadAsync(0, 100, Ct);
        var second = await poller.ReadAsync(1, 100, Ct);

        Assert.Equal((1L, ChangeKind.Insert), (Assert.Single(first).Sequence, first[0].Kind));
        Assert.Equal((2L, ChangeKind.Modify), (Assert.Single(second).Sequence, second[0].Kind));
        AssertCall(1, "GetShardIterator", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}","ShardId":"{{Parent}}","ShardIteratorType":"TRIM_HORIZON"}""");
        AssertCall(3, "GetShardIterator", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}","ShardId":"{{Child}}","ShardIteratorType":"TRIM_HORIZON"}""");
        Assert.Equal(2, await poller.GetLatestSequenceAsync(Ct));
    }

    [Fact]
    public async Task An_expired_iterator_is_replaced_from_the_position_reached_and_other_errors_surface_with_their_code()
    {
        _dynamoDb.Respond(HttpStatusCode.OK, "{}");
        _streams.Respond(HttpStatusCode.OK, DescribeStream(Shard(Parent, null)))
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"iterator-1"}""")
            .Respond(HttpStatusCode.OK, GetRecords("iterator-2", StreamEvents.Record("INSERT", "300000000000000499659", Ada, null, StreamEvents.Image(AdaV1))))
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException","message":"Iterator expired. The iterator was created at time Fri Nov 27 09:00:00 UTC 2026"}""")
            .Respond(HttpStatusCode.OK, """{"ShardIterator":"iterator-3"}""")
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}""");
        var poller = Poller();
        await poller.ReadAsync(0, 100, Ct);

        Assert.Empty(await poller.ReadAsync(1, 100, Ct));
        var error = await Assert.ThrowsAsync<DynamoDbStreamsException>(() => poller.ReadAsync(1, 100, Ct));

        AssertCall(4, "GetShardIterator", $$"""{"StreamArn":"{{StreamEvents.StreamArn}}","ShardId":"{{Parent}}","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"300000000000000499659"}""");
        Assert.Equal(("ResourceNotFoundException", HttpStatusCode.BadRequest), (error.Code, error.Status));
    }

    private DynamoDbStreamPoller Poller()
    {
        var options = AwsEmulators.Options(dynamoDb: Endpoint);
        options.AccessKeyId = options.SecretAccessKey = "test";
        options.Streams = new StreamsOptions { ServiceUrl = Endpoint.ToString(), StreamArn = StreamEvents.StreamArn };
        options.SignedClient = new SignedClientOptions { MaxAttempts = 1 };
        var time = new FakeTimeProvider(Now);
        var config = AwsBackend.DynamoDbConfig(options);
        config.HttpClientFactory = _dynamoDb.SdkFactory();
        var sdk = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"), config);
        var http = new HttpClient(_streams, disposeHandler: false);
        _owned.Add(sdk);
        _owned.Add(http);
        var signed = new SignedHttpClient(http, new AwsCredentialSource(Options.Create(options)), Options.Create(options), time, NullLogger<SignedHttpClient>.Instance);
        return new DynamoDbStreamPoller(signed, sdk, new DynamoDbTable(sdk, options.DynamoDb, time), Options.Create(options), time, NullLogger<DynamoDbStreamPoller>.Instance);
    }

    private void AssertCall(int index, string operation, string expectedBody)
    {
        var (request, body) = _streams.Requests[index];
        Assert.Equal((HttpMethod.Post, Endpoint), (request.Method, request.RequestUri));
        Assert.Equal($"DynamoDBStreams_20120810.{operation}", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedBody), JsonNode.Parse(body)), body);
    }

    /// <summary>DescribeStream's documented answer (API reference example), with the shards given.</summary>
    private static string DescribeStream(params JsonObject[] shards) => new JsonObject
    {
        ["StreamDescription"] = new JsonObject
        {
            ["StreamLabel"] = "2026-11-27T09:00:00.000",
            ["StreamStatus"] = "ENABLED",
            ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = "PK", ["KeyType"] = "HASH" }, new JsonObject { ["AttributeName"] = "SK", ["KeyType"] = "RANGE" }),
            ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
            ["StreamArn"] = StreamEvents.StreamArn,
            ["TableName"] = "tattoo-directory",
            ["CreationRequestDateTime"] = 1795770000.0,
            ["Shards"] = new JsonArray([.. shards]),
        },
    }.ToJsonString();

    private static JsonObject Shard(string id, string? parent)
    {
        var shard = new JsonObject { ["SequenceNumberRange"] = new JsonObject { ["StartingSequenceNumber"] = "300000000000000499659" }, ["ShardId"] = id };
        if (parent is not null) shard["ParentShardId"] = parent;
        return shard;
    }

    /// <summary>GetRecords' documented answer: the records (no eventSourceARN there) and the next iterator, absent once a shard is closed.</summary>
    private static string GetRecords(string? next, params JsonObject[] records)
    {
        foreach (var record in records) record.Remove("eventSourceARN");
        var answer = new JsonObject { ["Records"] = new JsonArray([.. records]) };
        if (next is not null) answer["NextShardIterator"] = next;
        return answer.ToJsonString();
    }

    /// <summary>GetItem's answer (<c>Item</c>) or UpdateItem's with ALL_NEW (<c>Attributes</c>) holding the checkpoint.</summary>
    private static string CheckpointItem(JsonObject data, string member = "Item") => new JsonObject
    {
        [member] = new JsonObject
        {
            ["PK"] = new JsonObject { ["S"] = DynamoDbStreamPoller.CheckpointPk },
            ["SK"] = new JsonObject { ["S"] = "search-index" },
            ["data"] = new JsonObject { ["S"] = data.ToJsonString() },
            ["version"] = new JsonObject { ["N"] = "1" },
            ["updatedAt"] = new JsonObject { ["S"] = Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
        },
    }.ToJsonString();
}
