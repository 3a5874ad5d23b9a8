using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Backends.Aws.Streams;

/// <summary>
/// DynamoDB stream records in the documented shape (the Lambda developer guide's example event:
/// eventID, eventName, eventVersion, eventSource, awsRegion, dynamodb{ApproximateCreationDateTime,
/// Keys, NewImage, OldImage, SequenceNumber, SizeBytes, StreamViewType}, eventSourceARN) holding
/// items laid out as the DynamoDB table adapter writes them.
/// </summary>
internal static class StreamEvents
{
    public const string StreamArn = "arn:aws:dynamodb:us-east-1:123456789012:table/tattoo-directory/stream/2026-11-27T09:00:00.000";

    public static JsonObject Record(string eventName, string sequenceNumber, ItemKey key, JsonObject? oldImage, JsonObject? newImage)
    {
        var body = new JsonObject
        {
            ["ApproximateCreationDateTime"] = 1795770000.0,
            ["Keys"] = new JsonObject { ["PK"] = S(key.Pk), ["SK"] = S(key.Sk) },
        };
        if (newImage is not null) body["NewImage"] = newImage;
        if (oldImage is not null) body["OldImage"] = oldImage;
        body["SequenceNumber"] = sequenceNumber;
        body["SizeBytes"] = 26;
        body["StreamViewType"] = "NEW_AND_OLD_IMAGES";
        return new JsonObject
        {
            ["eventID"] = sequenceNumber[..1],
            ["eventName"] = eventName,
            ["eventVersion"] = "1.0",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = "us-east-1",
            ["dynamodb"] = body,
            ["eventSourceARN"] = StreamArn,
        };
    }

    /// <summary>A live item's attributes.</summary>
    public static JsonObject Image(Item item) => new()
    {
        ["PK"] = S(item.Pk),
        ["SK"] = S(item.Sk),
        ["data"] = S(item.Data),
        ["version"] = N(item.Version),
        ["updatedAt"] = S(item.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)),
    };

    /// <summary>What a delete leaves: the key, the version it consumed and the deleted flag.</summary>
    public static JsonObject Tombstone(ItemKey key, long version) => new()
    {
        ["PK"] = S(key.Pk),
        ["SK"] = S(key.Sk),
        ["deleted"] = new JsonObject { ["BOOL"] = true },
        ["version"] = N(version),
        ["updatedAt"] = S("2026-11-27T09:00:00.0000000+00:00"),
    };

    public static JsonElement Event(params JsonObject[] records) =>
        JsonSerializer.SerializeToElement(new JsonObject { ["Records"] = new JsonArray([.. records]) });

    private static JsonObject S(string value) => new() { ["S"] = value };

    private static JsonObject N(long value) => new() { ["N"] = value.ToString(CultureInfo.InvariantCulture) };
}
