using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>
/// The JSON of an item image in the changes table. A storage format of its own, so renaming a
/// member of the domain <see cref="Item"/> cannot make retained change rows unreadable.
/// </summary>
internal static class ItemImageJson
{
    // The images are never embedded in HTML, so only what JSON itself requires is escaped:
    // Data is JSON text, and the default encoder would turn each of its quotes into \u0022.
    private static readonly ItemImageJsonContext Context = new(new JsonSerializerOptions(ItemImageJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(Item item) => JsonSerializer.Serialize(
        new ItemImage(item.Pk, item.Sk, item.Data, item.Version, item.UpdatedAt.UtcTicks, Of(item.Gsi1), Of(item.Gsi2), Of(item.Gsi3), Of(item.Gsi4)),
        Context.ItemImage);

    public static Item? Deserialize(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var image = JsonSerializer.Deserialize(json, Context.ItemImage)
            ?? throw new InvalidDataException("A change image is the JSON literal null.");
        return new Item
        {
            Pk = image.Pk,
            Sk = image.Sk,
            Data = image.Data,
            Version = image.Version,
            UpdatedAt = ItemRows.FromTicks(image.UpdatedAtTicks),
            Gsi1 = To(image.Gsi1),
            Gsi2 = To(image.Gsi2),
            Gsi3 = To(image.Gsi3),
            Gsi4 = To(image.Gsi4),
        };
    }

    private static IndexKeyImage? Of(IndexKey? key) => key is { } k ? new IndexKeyImage(k.Pk, k.Sk) : null;

    private static IndexKey? To(IndexKeyImage? key) => key is null ? null : new IndexKey(key.Pk, key.Sk);
}

internal sealed record ItemImage(
    string Pk,
    string Sk,
    string Data,
    long Version,
    long UpdatedAtTicks,
    IndexKeyImage? Gsi1,
    IndexKeyImage? Gsi2,
    IndexKeyImage? Gsi3,
    IndexKeyImage? Gsi4);

internal sealed record IndexKeyImage(string Pk, string Sk);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ItemImage))]
internal sealed partial class ItemImageJsonContext : JsonSerializerContext;
