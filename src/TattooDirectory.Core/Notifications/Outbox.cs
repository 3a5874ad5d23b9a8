using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Notifications;

/// <summary>A notification waiting in the table for the relay to hand it to its topic.</summary>
public sealed record OutboxEntry(string MessageId, string Topic, Notification Message, DateTimeOffset CreatedAt);

/// <summary>
/// The transactional outbox: a notification is an item written in the same table transaction as
/// the change that causes it, so a crash can neither lose it (the change committed, so did the
/// item) nor invent it (the change rolled back, so did the item). A relay then publishes each
/// item to its topic with the message id as deduplication id and deletes it. On AWS the same
/// items reach SNS through the table's stream.
/// </summary>
public static class Outbox
{
    /// <summary>
    /// The write that enqueues <paramref name="message"/>; add it to the transaction of the change.
    /// <paramref name="messageId"/> should be derived from the change (e.g. request id + event) so a
    /// retried change cannot enqueue a second copy: the put is conditional on the id being new.
    /// </summary>
    public static TableWrite Publish(string topic, Notification message, string messageId, DateTimeOffset now)
    {
        if (!Topics.IsKnown(topic)) throw new ArgumentException($"Unknown topic '{topic}'.", nameof(topic));
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var entry = new OutboxEntry(messageId, topic, message, now);
        var item = new Item
        {
            Pk = Keys.OutboxMessage(messageId).Pk,
            Sk = Keys.OutboxMessage(messageId).Sk,
            Data = JsonSerializer.Serialize(entry, OutboxJson.Default.OutboxEntry),
        };
        return new TableWrite.Put(item, WriteCondition.NotExists);
    }

    /// <summary>Reads an outbox item back.</summary>
    /// <exception cref="JsonException">the item is not an outbox entry.</exception>
    public static OutboxEntry Read(Item item) =>
        JsonSerializer.Deserialize(item.Data, OutboxJson.Default.OutboxEntry) ?? throw new JsonException($"Empty outbox item {item.Key}.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OutboxEntry))]
internal sealed partial class OutboxJson : JsonSerializerContext;
