using System.Text.Json;
using System.Text.Json.Serialization;

namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>Message attributes as stored in the outbox: a flat JSON object of strings.</summary>
internal static partial class NotificationAttributesJson
{
    public static string? Serialize(IReadOnlyDictionary<string, string>? attributes) =>
        attributes is null ? null : JsonSerializer.Serialize(attributes.ToDictionary(StringComparer.Ordinal), Context.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string>? Deserialize(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, Context.Default.DictionaryStringString);

    [JsonSerializable(typeof(Dictionary<string, string>))]
    private sealed partial class Context : JsonSerializerContext;
}
