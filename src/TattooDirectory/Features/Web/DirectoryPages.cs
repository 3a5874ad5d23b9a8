using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;
using TattooDirectory.Core.Search;
using TattooDirectory.Features.Artists;

namespace TattooDirectory.Features.Web;

/// <summary>The outcome of an /artists search: either validation errors per parameter, or a page of results.</summary>
public sealed record ArtistSearchPage(
    SearchState State,
    IReadOnlyDictionary<string, string[]> Errors,
    SearchResult? Result,
    IReadOnlyDictionary<string, int> StyleCounts,
    string? ResolvedPlace,
    double? RadiusKm)
{
    public int TotalPages => Result is null ? 0 : SearchState.TotalPages(Result.Total);
}

/// <summary>A pin on a results or studio map (web contract: the data-pins JSON).</summary>
public sealed record MapPin(string Id, string Name, double Lat, double Lon, string Url)
{
    public static MapPin For(ArtistDocument artist) => new(artist.ArtistId, artist.Name, Round(artist.Geo.Lat), Round(artist.Geo.Lon), $"/artists/{artist.ArtistId}");

    public static MapPin For(Studio studio) => new(studio.StudioId, studio.Name, Round(studio.Geo.Lat), Round(studio.Geo.Lon), $"/studios/{studio.StudioId}");

    public static string Json(IEnumerable<MapPin> pins) => JsonSerializer.Serialize(pins, JsonSerializerOptions.Web);

    // About a metre: enough for a pin, and no false precision in the page.
    private static double Round(double degrees) => Math.Round(degrees, 5);
}

/// <summary>
/// What the pages read, in the words of the pages. Calls the same services as the API (never the
/// API over HTTP), and applies the same listing rules: opted-out artists do not exist here either.
/// </summary>
public sealed class DirectoryPages(ArtistSearch search, ArtistCatalog catalog, Gazetteer gazetteer, IBlobStore blobs, IOptions<MapOptions> map)
{
    public const int StudiosPerPage = 48;

    /// <summary>The tile URL template for data-tiles; empty means pins on a blank background.</summary>
    public string TileUrl => map.Value.TileUrl;

    public string ImageUrl(string blobKey) => blobs.GetPublicUrl(blobKey);

    public async Task<ArtistSearchPage> SearchAsync(SearchState state, CancellationToken cancellationToken)
    {
        var (parsed, errors) = SearchQuery.Parse(state.ToApiQuery(), gazetteer);
        if (parsed is null) return new ArtistSearchPage(state, errors, null, await StyleCountsAsync(cancellationToken), null, null);
        var result = await search.SearchAsync(parsed.Request, cancellationToken);
        // Style counts ignore the style filter itself, so each box says what ticking it would add
        // rather than how many of the already-ticked artists also do that style.
        var counts = parsed.Request.Styles.Count == 0
            ? Counts(result.StyleFacets)
            : Counts((await search.SearchAsync(parsed.Request with { Styles = [], Page = 1, Limit = 1 }, cancellationToken)).StyleFacets);
        return new ArtistSearchPage(state, errors, result, counts, parsed.ResolvedPlace, parsed.Request.Geo?.RadiusKm);
    }

    /// <summary>Listed artists per style id, over the whole directory.</summary>
    public async Task<IReadOnlyDictionary<string, int>> StyleCountsAsync(CancellationToken cancellationToken) =>
        Counts((await search.SearchAsync(new SearchRequest { Limit = 1 }, cancellationToken)).StyleFacets);

    /// <summary>Listed artists per city, most first.</summary>
    public async Task<IReadOnlyList<FacetCount>> CitiesAsync(CancellationToken cancellationToken) =>
        (await search.SearchAsync(new SearchRequest { Limit = 1 }, cancellationToken)).CityFacets;

    public async Task<IReadOnlyList<SearchHit>> TopRatedAsync(int count, CancellationToken cancellationToken) =>
        (await search.SearchAsync(new SearchRequest { Sort = SearchSort.Rating, Limit = count }, cancellationToken)).Hits;

    public Task<SearchResult> StyleArtistsAsync(string styleId, int page, CancellationToken cancellationToken) =>
        search.SearchAsync(new SearchRequest { Styles = [styleId], Sort = SearchSort.Rating, Page = page, Limit = SearchState.PageSize }, cancellationToken);

    /// <summary>A listed artist's profile; null for a malformed id, an unknown artist or one who opted out.</summary>
    public async Task<ArtistProfile?> ArtistAsync(string? artistId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsArtistId(artistId)) return null;
        var profile = await catalog.GetArtistAsync(artistId!, cancellationToken);
        return profile is null || profile.Artist.OptedOut ? null : profile;
    }

    public async Task<(Studio Studio, IReadOnlyList<SearchHit> Artists)?> StudioAsync(string? studioId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsStudioId(studioId) || await catalog.GetStudioAsync(studioId!, cancellationToken) is not { } studio) return null;
        var artists = await search.SearchAsync(new SearchRequest { StudioId = studio.StudioId, Sort = SearchSort.Name, Limit = SearchQuery.MaxLimit }, cancellationToken);
        return (studio, artists.Hits);
    }

    public Task<(IReadOnlyList<Studio> Studios, int Total)> StudiosAsync(string? city, int page, CancellationToken cancellationToken) =>
        catalog.ListStudiosAsync(string.IsNullOrWhiteSpace(city) ? null : city.Trim(), page, StudiosPerPage, cancellationToken);

    public static string StyleName(string styleId) => StyleVocabulary.NameOf(styleId);

    private static Dictionary<string, int> Counts(IReadOnlyList<FacetCount> facets) => facets.ToDictionary(f => f.Value, f => f.Count, StringComparer.Ordinal);
}
