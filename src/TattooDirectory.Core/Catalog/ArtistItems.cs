using System.Globalization;
using System.Text;
using System.Text.Json;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Catalog;

/// <summary>
/// Maps artists and studios to and from the items of the single table, and builds the search
/// document. The one place that knows the item layout, so writes, sync and the degraded search
/// cannot drift apart.
/// </summary>
public static class ArtistItems
{
    // Keeps a full replace (puts + deletes of the old set) inside one 100-item transaction.
    public const int MaxImages = 30;
    public const int GeohashPrecision = 9;

    public static Item Profile(Artist artist) => new()
    {
        Pk = Keys.ArtistPk(artist.ArtistId),
        Sk = Keys.Profile,
        Data = JsonSerializer.Serialize(artist, CatalogJson.Default.Artist),
        Gsi2 = Keys.ArtistName(NormaliseName(artist.Name), artist.ArtistId),
        Gsi3 = string.IsNullOrEmpty(artist.InstagramHandle) ? null : Keys.Instagram(artist.InstagramHandle),
    };

    /// <summary>One fan-out item per style, carrying the search document so a degraded search can answer from GSI1 alone.</summary>
    public static IEnumerable<Item> StyleFanOut(Artist artist, ArtistDocument document)
    {
        var geohash = Geohash.Encode(artist.Geo, GeohashPrecision);
        var data = JsonSerializer.Serialize(document with { Bio = "" }, CatalogJson.Default.ArtistDocument);
        foreach (var style in artist.Styles.Distinct(StringComparer.Ordinal))
        {
            var key = Keys.ArtistStyle(artist.ArtistId, style);
            yield return new Item { Pk = key.Pk, Sk = key.Sk, Data = data, Gsi1 = Keys.StyleGeo(style, geohash, artist.ArtistId) };
        }
    }

    public static Item Image(PortfolioImage image)
    {
        var key = Keys.ArtistImage(image.ArtistId, image.ImageId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(image, CatalogJson.Default.PortfolioImage) };
    }

    public static Item Membership(string studioId, Artist artist)
    {
        var key = Keys.StudioMember(studioId, artist.ArtistId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(new StudioMembership(artist.ArtistId, artist.Name), CatalogJson.Default.StudioMembership) };
    }

    public static Item StudioProfile(Studio studio) => new()
    {
        Pk = Keys.StudioPk(studio.StudioId),
        Sk = Keys.Profile,
        Data = JsonSerializer.Serialize(studio, CatalogJson.Default.Studio),
        Gsi4 = Keys.StudioCity(studio.City, studio.Name),
    };

    /// <summary>Every item of one artist, in the order a writer should put them.</summary>
    public static List<Item> All(Artist artist, Studio? studio, IReadOnlyList<PortfolioImage> images, IBlobStore blobs)
    {
        var document = Document(artist, studio, images, version: 0, blobs);
        var items = new List<Item>(images.Count + artist.Styles.Count + 2) { Profile(artist) };
        items.AddRange(StyleFanOut(artist, document));
        items.AddRange(images.Select(Image));
        if (artist.StudioId is not null) items.Add(Membership(artist.StudioId, artist));
        return items;
    }

    public static ArtistDocument Document(Artist artist, Studio? studio, IReadOnlyList<PortfolioImage> images, long version, IBlobStore blobs) => new()
    {
        ArtistId = artist.ArtistId,
        Version = version,
        Name = artist.Name,
        StudioId = artist.StudioId,
        StudioName = studio?.Name,
        City = artist.City,
        LocationDisplay = artist.LocationDisplay,
        Geo = artist.Geo,
        Styles = artist.Styles,
        Bio = artist.Bio,
        InstagramHandle = artist.InstagramHandle,
        AvatarUrl = artist.AvatarKey is null ? null : blobs.GetPublicUrl(artist.AvatarKey),
        Thumbnails = [.. images.OrderBy(i => i.Position).ThenBy(i => i.ImageId, StringComparer.Ordinal).Take(3).Select(i => blobs.GetPublicUrl(i.ThumbnailKey))],
        Rating = artist.Rating,
        ReviewCount = artist.ReviewCount,
        OptedOut = artist.OptedOut,
    };

    public static Artist ReadArtist(Item item) => Read(item, CatalogJson.Default.Artist);
    public static Studio ReadStudio(Item item) => Read(item, CatalogJson.Default.Studio);
    public static PortfolioImage ReadImage(Item item) => Read(item, CatalogJson.Default.PortfolioImage);
    public static ArtistDocument ReadDocument(Item item) => Read(item, CatalogJson.Default.ArtistDocument);

    private static T Read<T>(Item item, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(item.Data, type) ?? throw new InvalidDataException($"Item {item.Key} holds no {typeof(T).Name}.");

    /// <summary>Lower case, accents folded, punctuation dropped, single spaces: "Zoë  O'Hara" → "zoe ohara".</summary>
    public static string NormaliseName(string name)
    {
        var sb = new StringBuilder(name.Length);
        var space = false;
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch)) { sb.Append(char.ToLowerInvariant(ch)); space = false; }
            else if (char.IsWhiteSpace(ch) && sb.Length > 0 && !space) { sb.Append(' '); space = true; }
        }
        return sb.ToString().TrimEnd();
    }
}
