using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.Streams;

/// <summary>A stream record that cannot be read as a change of the single table (a poison record).</summary>
public sealed class StreamRecordException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Reads DynamoDB stream records (the same JSON in a Lambda event and in a GetRecords answer)
/// into the port's <see cref="ChangeRecord"/>. The table writes tombstones instead of deleting
/// (see <see cref="ItemAttributes"/>), so the stream's event names are not the port's kinds: a
/// write that turns a live item into a tombstone is a Remove, one that revives a tombstone is an
/// Insert, and a tombstone rewritten over a tombstone changed nothing anyone can see.
/// </summary>
internal static class StreamRecords
{
    // DynamoDB sequence numbers are 21 to 40 decimal digits; their low digits grow within a shard.
    private static readonly BigInteger LowDigits = BigInteger.Pow(10, 18);

    /// <summary>The record's SequenceNumber, as DynamoDB wrote it (the Lambda item identifier).</summary>
    public static string SequenceNumberOf(JsonElement record) =>
        record.TryGetProperty("dynamodb", out var body) && body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("SequenceNumber", out var number) && number.ValueKind == JsonValueKind.String
            && number.GetString() is { Length: > 0 } text
            ? text
            : throw new StreamRecordException("The record has no dynamodb.SequenceNumber.");

    /// <summary>
    /// A long that orders records of one shard as their sequence numbers do: the number itself
    /// when it fits, else its low 18 digits (the port's sequence is a long; DynamoDB's is not).
    /// </summary>
    public static long SequenceOf(string sequenceNumber) =>
        BigInteger.TryParse(sequenceNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value <= long.MaxValue ? (long)value : (long)(value % LowDigits)
            : throw new StreamRecordException("The record's SequenceNumber is not a decimal number.");

    /// <summary>The change the record makes visible, or null when it changed nothing visible.</summary>
    /// <exception cref="StreamRecordException">the record is not a well-formed change of the table.</exception>
    public static ChangeRecord? ToChange(JsonElement record, long sequence)
    {
        try
        {
            var body = record.GetProperty("dynamodb");
            var keys = Attributes(body.GetProperty("Keys"));
            var key = new ItemKey(keys[ItemAttributes.Pk].S ?? throw Invalid("PK"), keys[ItemAttributes.Sk].S ?? throw Invalid("SK"));
            var oldImage = Image(body, "OldImage", key);
            var newImage = Image(body, "NewImage", key);
            var committedAt = CommittedAt(body, newImage ?? oldImage);
            var eventName = record.GetProperty("eventName").GetString();
            return (eventName, oldImage, newImage) switch
            {
                ("INSERT" or "MODIFY" or "REMOVE", null, null) => null,
                ("REMOVE", { } old, _) => new ChangeRecord(sequence, ChangeKind.Remove, key, old, null, committedAt),
                ("INSERT" or "MODIFY", null, { } created) => new ChangeRecord(sequence, ChangeKind.Insert, key, null, created, committedAt),
                ("INSERT" or "MODIFY", { } old, null) => new ChangeRecord(sequence, ChangeKind.Remove, key, old, null, committedAt),
                ("INSERT" or "MODIFY", { } old, { } current) => new ChangeRecord(sequence, ChangeKind.Modify, key, old, current, committedAt),
                _ => throw new StreamRecordException($"Unknown eventName '{eventName}'."),
            };
        }
        catch (Exception ex) when (ex is not StreamRecordException and (KeyNotFoundException or InvalidOperationException or FormatException or OverflowException))
        {
            throw new StreamRecordException($"The record is not a change of the table ({ex.GetType().Name}).", ex);
        }
    }

    /// <summary>An image as the item it holds: null when absent or a tombstone.</summary>
    private static Item? Image(JsonElement body, string name, ItemKey key)
    {
        if (!body.TryGetProperty(name, out var image) || image.ValueKind == JsonValueKind.Null) return null;
        var attributes = Attributes(image);
        if (ItemAttributes.IsTombstone(attributes)) return null;
        var item = ItemAttributes.ToItem(attributes);
        if (item is null) return null;
        if (item.Data is null) throw Invalid("data");
        return item.Key == key ? item : throw new StreamRecordException($"The {name} belongs to another key than the record's Keys.");
    }

    private static DateTimeOffset CommittedAt(JsonElement body, Item? image)
    {
        if (body.TryGetProperty("ApproximateCreationDateTime", out var at) && at.ValueKind == JsonValueKind.Number)
        {
            // Epoch seconds, with a fraction when the stream was configured for milliseconds.
            return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(at.GetDouble() * 1000));
        }

        return image?.UpdatedAt ?? throw Invalid("ApproximateCreationDateTime");
    }

    /// <summary>DynamoDB JSON (<c>{"name": {"S": "..."}}</c>) as the SDK's attribute values.</summary>
    public static Dictionary<string, AttributeValue> Attributes(JsonElement map)
    {
        if (map.ValueKind != JsonValueKind.Object) throw new StreamRecordException("An attribute map is not a JSON object.");
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject()) attributes[property.Name] = Value(property.Value);
        return attributes;
    }

    private static AttributeValue Value(JsonElement value)
    {
        var typed = value.EnumerateObject().SingleOrDefault();
        var inner = typed.Value;
        return typed.Name switch
        {
            "S" => new AttributeValue { S = inner.GetString() },
            "N" => new AttributeValue { N = Number(inner.GetString()) },
            "BOOL" => new AttributeValue { BOOL = inner.GetBoolean() },
            "NULL" => new AttributeValue { NULL = inner.GetBoolean() },
            "B" => new AttributeValue { B = new MemoryStream(inner.GetBytesFromBase64()) },
            "SS" => new AttributeValue { SS = [.. inner.EnumerateArray().Select(e => e.GetString()!)] },
            "NS" => new AttributeValue { NS = [.. inner.EnumerateArray().Select(e => Number(e.GetString()))] },
            "BS" => new AttributeValue { BS = [.. inner.EnumerateArray().Select(e => new MemoryStream(e.GetBytesFromBase64()))] },
            "M" => new AttributeValue { M = Attributes(inner) },
            "L" => new AttributeValue { L = [.. inner.EnumerateArray().Select(Value)] },
            _ => throw new StreamRecordException($"Unknown attribute type '{typed.Name}'."),
        };
    }

    private static string Number(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? text! : throw Invalid("a number attribute");

    private static StreamRecordException Invalid(string what) => new($"The record has no valid {what}.");
}
