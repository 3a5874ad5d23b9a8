using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Backends.Aws.Streams;

/// <summary>An error answer of the DynamoDB Streams API: the code after the '#' of <c>__type</c>.</summary>
public sealed class DynamoDbStreamsException(string code, HttpStatusCode status, string? message)
    : Exception($"DynamoDB Streams answered {(int)status} {code}: {message}")
{
    public string Code { get; } = code;
    public HttpStatusCode Status { get; } = status;
}

/// <summary>One shard of the stream as DescribeStream lists it.</summary>
internal sealed record StreamShard(string ShardId, string? ParentShardId);

internal sealed record ShardRecords(IReadOnlyList<JsonElement> Records, string? NextShardIterator);

/// <summary>
/// The three DynamoDB Streams calls the poller needs, on the AWS JSON 1.0 protocol (signing
/// name <c>dynamodb</c>, target prefix <c>DynamoDBStreams_20120810</c>) through the shared signed client.
/// </summary>
internal sealed class StreamsApi(SignedHttpClient http, Uri endpoint)
{
    public const string TargetPrefix = "DynamoDBStreams_20120810.";

    public static Uri EndpointFor(AwsOptions options) =>
        new(string.IsNullOrEmpty(options.Streams.ServiceUrl) ? $"https://streams.dynamodb.{options.Region}.amazonaws.com/" : options.Streams.ServiceUrl);

    /// <summary>Every shard of the stream, following DescribeStream's pages.</summary>
    public async Task<IReadOnlyList<StreamShard>> DescribeShardsAsync(string streamArn, CancellationToken cancellationToken)
    {
        var shards = new List<StreamShard>();
        string? start = null;
        do
        {
            var request = new JsonObject { ["StreamArn"] = streamArn };
            if (start is not null) request["ExclusiveStartShardId"] = start;
            using var answer = await CallAsync("DescribeStream", request, cancellationToken);
            var description = answer.RootElement.GetProperty("StreamDescription");
            foreach (var shard in description.GetProperty("Shards").EnumerateArray())
            {
                shards.Add(new StreamShard(shard.GetProperty("ShardId").GetString()!, OptionalString(shard, "ParentShardId")));
            }

            start = OptionalString(description, "LastEvaluatedShardId");
        }
        while (start is not null);
        return shards;
    }

    /// <summary>An iterator just after <paramref name="afterSequenceNumber"/>, or at the oldest record kept when it is null.</summary>
    public async Task<string> GetShardIteratorAsync(string streamArn, string shardId, string? afterSequenceNumber, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["StreamArn"] = streamArn, ["ShardId"] = shardId, ["ShardIteratorType"] = afterSequenceNumber is null ? "TRIM_HORIZON" : "AFTER_SEQUENCE_NUMBER" };
        if (afterSequenceNumber is not null) request["SequenceNumber"] = afterSequenceNumber;
        using var answer = await CallAsync("GetShardIterator", request, cancellationToken);
        return answer.RootElement.GetProperty("ShardIterator").GetString()!;
    }

    /// <summary>The next records of a shard; a null next iterator means the shard is closed and fully read.</summary>
    public async Task<ShardRecords> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken)
    {
        using var answer = await CallAsync("GetRecords", new JsonObject { ["ShardIterator"] = shardIterator, ["Limit"] = limit }, cancellationToken);
        var records = answer.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.Clone()).ToList();
        return new ShardRecords(records, OptionalString(answer.RootElement, "NextShardIterator"));
    }

    private async Task<JsonDocument> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(new SignedRequest(HttpMethod.Post, endpoint, "dynamodb")
        {
            Headers = [new("X-Amz-Target", TargetPrefix + operation)],
            ContentType = "application/x-amz-json-1.0",
            Body = Encoding.UTF8.GetBytes(body.ToJsonString()),
        }, cancellationToken);
        if (response.IsSuccess) return JsonDocument.Parse(response.Body);
        throw ErrorOf(response);
    }

    private static DynamoDbStreamsException ErrorOf(SignedResponse response)
    {
        try
        {
            using var error = JsonDocument.Parse(response.Body);
            var type = OptionalString(error.RootElement, "__type") ?? "UnknownError";
            var message = OptionalString(error.RootElement, "message") ?? OptionalString(error.RootElement, "Message");
            return new DynamoDbStreamsException(type[(type.LastIndexOf('#') + 1)..], response.StatusCode, message);
        }
        catch (JsonException)
        {
            return new DynamoDbStreamsException("UnknownError", response.StatusCode, null);
        }
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
