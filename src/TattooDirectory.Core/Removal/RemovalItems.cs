using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>How removal requests are stored as items of the single table.</summary>
public static class RemovalItems
{
    public static Item ToItem(RemovalRequest request)
    {
        var key = Keys.RemovalRequest(request.RequestId);
        return new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = JsonSerializer.Serialize(request, RemovalJson.Default.RemovalRequest),
            Gsi4 = Keys.RemovalsByStatus(RemovalNames.Of(request.Status), request.CreatedAt, request.RequestId),
        };
    }

    /// <exception cref="JsonException">the item is not a removal request.</exception>
    public static RemovalRequest Read(Item item) =>
        (JsonSerializer.Deserialize(item.Data, RemovalJson.Default.RemovalRequest) ?? throw new JsonException($"Empty removal item {item.Key}."))
        with { Version = item.Version };

    /// <summary>The write that replaces <paramref name="request"/> only if nobody changed it since it was read.</summary>
    public static TableWrite Update(RemovalRequest request) =>
        new TableWrite.Put(ToItem(request), WriteCondition.VersionEquals(request.Version));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RemovalRequest))]
[JsonSerializable(typeof(DenylistEntry))]
public sealed partial class RemovalJson : JsonSerializerContext;
