using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Features.Artists;

// The public JSON shapes of product.md §4. Kept apart from the domain so storage can change
// without changing the API.

public sealed record GeoDto(double Lat, double Lon)
{
    public static GeoDto From(GeoPoint p) => new(Math.Round(p.Lat, 5), Math.Round(p.Lon, 5));
}

public sealed record StudioRefDto(string StudioId, string? Name);

public sealed record SearchItemDto(
    string ArtistId,
    string Name,
    StudioRefDto? Studio,
    string City,
    string LocationDisplay,
    IReadOnlyList<string> Styles,
    string? AvatarUrl,
    IReadOnlyList<string> Thumbnails,
    double Rating,
    int ReviewCount,
    string? InstagramHandle,
    GeoDto Geo,
    double? DistanceKm)
{
    public static SearchItemDto From(SearchHit hit)
    {
        var d = hit.Document;
        return new(d.ArtistId, d.Name, d.StudioId is null ? null : new StudioRefDto(d.StudioId, d.StudioName), d.City, d.LocationDisplay,
            d.Styles, d.AvatarUrl, d.Thumbnails, d.Rating, d.ReviewCount, d.InstagramHandle, GeoDto.From(d.Geo),
            hit.DistanceKm is { } km ? Math.Round(km, 2) : null);
    }
}

public sealed record StyleFacetDto(string Id, string Name, int Count);

public sealed record CityFacetDto(string Name, int Count);

public sealed record FacetsDto(IReadOnlyList<StyleFacetDto> Styles, IReadOnlyList<CityFacetDto> Cities);

public sealed record SearchResponseDto(
    IReadOnlyList<SearchItemDto> Items,
    int Total,
    int Page,
    int Limit,
    bool HasMore,
    FacetsDto Facets,
    string? ResolvedLocation,
    bool? Degraded,
    string? Warning);

public sealed record StyleDto(string Id, string Name);

public sealed record ImageDto(string ImageId, string Url, string ThumbnailUrl, int Width, int Height, string? Caption, string? Style);

public sealed record StudioSummaryDto(string StudioId, string Name, string Address, string City, string Postcode, GeoDto Geo);

public sealed record ProfileDto(
    string ArtistId,
    string Name,
    string Bio,
    string? AvatarUrl,
    string? InstagramHandle,
    string? WebsiteUrl,
    StudioSummaryDto? Studio,
    IReadOnlyList<StyleDto> Styles,
    IReadOnlyList<ImageDto> PortfolioImages,
    double Rating,
    int ReviewCount,
    string LocationDisplay,
    DateTimeOffset UpdatedAt)
{
    public static ProfileDto From(ArtistProfile profile, IBlobStore blobs)
    {
        var a = profile.Artist;
        var s = profile.Studio;
        return new(a.ArtistId, a.Name, a.Bio, a.AvatarKey is null ? null : blobs.GetPublicUrl(a.AvatarKey), a.InstagramHandle, a.WebsiteUrl,
            s is null ? null : new StudioSummaryDto(s.StudioId, s.Name, s.Address, s.City, s.Postcode, GeoDto.From(s.Geo)),
            [.. a.Styles.Select(StyleOf)],
            [.. profile.Images.Select(i => new ImageDto(i.ImageId, blobs.GetPublicUrl(i.BlobKey), blobs.GetPublicUrl(i.ThumbnailKey), i.Width, i.Height, i.Caption, i.Style))],
            a.Rating, a.ReviewCount, a.LocationDisplay, a.UpdatedAt);
    }

    public static StyleDto StyleOf(string id) => new(id, StyleVocabulary.NameOf(id));
}
