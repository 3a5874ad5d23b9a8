using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Core.Storage;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>
/// What dynalite cannot run: the exact TransactWriteItems request the adapter sends, and how it
/// reads DynamoDB's documented TransactionCanceledException and throttling replies.
/// </summary>
public sealed class DynamoDbShapeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly CannedHttp _http = new();
    private readonly AmazonDynamoDBClient _client;
    private readonly DynamoDbTable _table;

    public DynamoDbShapeTests()
    {
        var options = AwsEmulators.Options(dynamoDb: new Uri("http://127.0.0.1:9"));
        options.DynamoDb.Table = "main";
        options.DynamoDb.DenylistTable = "denylist";
        var config = AwsBackend.DynamoDbConfig(options);
        config.HttpClientFactory = _http.SdkFactory();
        _client = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"), config);
        _table = new DynamoDbTable(_client, options.DynamoDb, new FakeTimeProvider(Now));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transaction_is_sent_as_one_TransactWriteItems_with_a_write_per_item()
    {
        _http.Respond(HttpStatusCode.OK, "{}");

        await _table.TransactWriteAsync(
        [
            new TableWrite.Put(NewItem("ARTIST#1", "PROFILE", """{"n":1}""") with { Gsi3 = new("INSTAGRAM#ada", "PROFILE") }, WriteCondition.NotExists),
            new TableWrite.Delete(new ItemKey("ARTIST#1", "IMAGE#a"), WriteCondition.VersionEquals(3)),
            new TableWrite.Check(new ItemKey("DENY#h1", "DENY"), WriteCondition.NotExists),
            new TableWrite.Delete(new ItemKey("ARTIST#1", "IMAGE#b")),
        ], Ct);

        var (request, body) = Assert.Single(_http.Requests);
        Assert.Equal("DynamoDB_20120810.TransactWriteItems", request.Headers.GetValues("X-Amz-Target").Single());
        var sent = JsonNode.Parse(body)!.AsObject();
        // The SDK's idempotency token, new per call and kept across its retries.
        Assert.True(Guid.TryParse(sent["ClientRequestToken"]?.GetValue<string>(), out _), body);
        sent.Remove("ClientRequestToken");
        var expected = JsonNode.Parse("""
        {"TransactItems":[
          {"Update":{
            "ConditionExpression":"attribute_not_exists(#PK) OR attribute_exists(#deleted)",
            "ExpressionAttributeNames":{"#data":"data","#updatedAt":"updatedAt","#version":"version","#GSI1PK":"GSI1PK","#GSI1SK":"GSI1SK","#GSI2PK":"GSI2PK","#GSI2SK":"GSI2SK","#GSI3PK":"GSI3PK","#GSI3SK":"GSI3SK","#GSI4PK":"GSI4PK","#GSI4SK":"GSI4SK","#deleted":"deleted","#PK":"PK"},
            "ExpressionAttributeValues":{":v0":{"S":"{\"n\":1}"},":v1":{"S":"2025-03-01T09:30:00.0000000+00:00"},":v2":{"N":"0"},":v3":{"N":"1"},":v4":{"S":"INSTAGRAM#ada"},":v5":{"S":"PROFILE\u0000ARTIST#1\u0000PROFILE"}},
            "Key":{"PK":{"S":"ARTIST#1"},"SK":{"S":"PROFILE"}},
            "TableName":"main",
            "UpdateExpression":"SET #data = :v0, #updatedAt = :v1, #version = if_not_exists(#version, :v2) + :v3, #GSI3PK = :v4, #GSI3SK = :v5 REMOVE #deleted, #GSI1PK, #GSI1SK, #GSI2PK, #GSI2SK, #GSI4PK, #GSI4SK"}},
          {"Update":{
            "ConditionExpression":"attribute_exists(#PK) AND attribute_not_exists(#deleted) AND #version = :v4",
            "ExpressionAttributeNames":{"#deleted":"deleted","#updatedAt":"updatedAt","#version":"version","#data":"data","#GSI1PK":"GSI1PK","#GSI1SK":"GSI1SK","#GSI2PK":"GSI2PK","#GSI2SK":"GSI2SK","#GSI3PK":"GSI3PK","#GSI3SK":"GSI3SK","#GSI4PK":"GSI4PK","#GSI4SK":"GSI4SK","#PK":"PK"},
            "ExpressionAttributeValues":{":v0":{"BOOL":true},":v1":{"S":"2025-03-01T09:30:00.0000000+00:00"},":v2":{"N":"0"},":v3":{"N":"1"},":v4":{"N":"3"}},
            "Key":{"PK":{"S":"ARTIST#1"},"SK":{"S":"IMAGE#a"}},
            "TableName":"main",
            "UpdateExpression":"SET #deleted = :v0, #updatedAt = :v1, #version = if_not_exists(#version, :v2) + :v3 REMOVE #data, #GSI1PK, #GSI1SK, #GSI2PK, #GSI2SK, #GSI3PK, #GSI3SK, #GSI4PK, #GSI4SK"}},
          {"ConditionCheck":{
            "ConditionExpression":"attribute_not_exists(#PK) OR attribute_exists(#deleted)",
            "ExpressionAttributeNames":{"#PK":"PK","#deleted":"deleted"},
            "Key":{"PK":{"S":"DENY#h1"},"SK":{"S":"DENY"}},
            "TableName":"denylist"}},
          {"Update":{
            "ExpressionAttributeNames":{"#deleted":"deleted","#updatedAt":"updatedAt","#version":"version","#data":"data","#GSI1PK":"GSI1PK","#GSI1SK":"GSI1SK","#GSI2PK":"GSI2PK","#GSI2SK":"GSI2SK","#GSI3PK":"GSI3PK","#GSI3SK":"GSI3SK","#GSI4PK":"GSI4PK","#GSI4SK":"GSI4SK"},
            "ExpressionAttributeValues":{":v0":{"BOOL":true},":v1":{"S":"2025-03-01T09:30:00.0000000+00:00"},":v2":{"N":"0"},":v3":{"N":"1"}},
            "Key":{"PK":{"S":"ARTIST#1"},"SK":{"S":"IMAGE#b"}},
            "TableName":"main",
            "UpdateExpression":"SET #deleted = :v0, #updatedAt = :v1, #version = if_not_exists(#version, :v2) + :v3 REMOVE #data, #GSI1PK, #GSI1SK, #GSI2PK, #GSI2SK, #GSI3PK, #GSI3SK, #GSI4PK, #GSI4SK"}}
        ]}
        """)!;
        Assert.True(JsonNode.DeepEquals(expected, sent), sent.ToJsonString());
    }

    [Fact]
    public async Task A_cancelled_transaction_names_the_writes_whose_condition_failed()
    {
        _http.Respond(HttpStatusCode.BadRequest, """
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
             "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]",
             "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}]}
            """);

        var failure = await Assert.ThrowsAsync<TransactionCanceledException>(() => _table.TransactWriteAsync(
            [PutOf("T#1", "a"), new TableWrite.Put(NewItem("T#1", "b"), WriteCondition.NotExists), new TableWrite.Check(new ItemKey("T#1", "c"), WriteCondition.Exists)], Ct));

        Assert.Equal([null, "ConditionalCheckFailed", null], failure.Reasons);
    }

    [Fact]
    public async Task A_throttled_request_is_retried_by_the_sdk()
    {
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}""")
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}""")
            .Respond(HttpStatusCode.OK, "{}");

        await _table.TransactWriteAsync([PutOf("T#1", "a")], Ct);

        Assert.Equal(3, _http.Requests.Count);
    }

    [Fact]
    public async Task A_failed_condition_on_a_single_put_is_the_ports_exception()
    {
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}""");

        var failure = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _table.PutAsync(NewItem("ARTIST#1", "PROFILE"), WriteCondition.NotExists, Ct));

        Assert.Equal(new ItemKey("ARTIST#1", "PROFILE"), failure.Key);
    }

    [Fact]
    public void The_table_is_created_with_the_four_indexes_and_a_stream_of_both_images()
    {
        var request = DynamoDbSchema.MainTable("main");

        Assert.Equal(["GSI1", "GSI2", "GSI3", "GSI4"], request.GlobalSecondaryIndexes.Select(i => i.IndexName));
        Assert.All(request.GlobalSecondaryIndexes, i => Assert.Equal("ALL", i.Projection.ProjectionType.Value));
        Assert.Equal(("NEW_AND_OLD_IMAGES", "PAY_PER_REQUEST"), (request.StreamSpecification.StreamViewType.Value, request.BillingMode.Value));
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }
}
