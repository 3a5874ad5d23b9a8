using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;
using TattooDirectory.Core.Search;
using static TattooDirectory.Hosting.QueryParameters;

namespace TattooDirectory.Features.Artists;

/// <summary>
/// Reads and validates the search parameters of GET /v1/artists (product.md §4–5). Parameters are
/// read as raw strings so every bad value — wrong type, overflow, repetition — comes back as a
/// problem naming the parameter instead of a framework binding error.
/// </summary>
public static class SearchQuery
{
    public const int MaxTextLength = 100;
    public const int MaxLimit = 50;
    public const int DefaultLimit = 20;
    public const int MaxDepth = 10_000;
    public const double DefaultRadiusKm = 25;

    public sealed record Parsed(SearchRequest Request, string? ResolvedPlace);

    public static (Parsed? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, Gazetteer gazetteer)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var text = Single(query, "query", errors);
        if (text is { Length: > MaxTextLength }) errors["query"] = [$"query must be at most {MaxTextLength} characters."];

        var styles = new List<string>();
        if (Single(query, "styles", errors) is { } styleList)
        {
            var unknown = new List<string>();
            foreach (var part in styleList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (StyleVocabulary.TryResolve(part, out var style)) { if (!styles.Contains(style.Id)) styles.Add(style.Id); }
                else unknown.Add(part.Length > 40 ? part[..40] + "…" : part);
            }
            if (unknown.Count > 0 || styleList.Length > 1000)
            {
                errors["styles"] = [$"Unknown style(s): {string.Join(", ", unknown.Take(5))}. Valid ids: {string.Join(", ", StyleVocabulary.All.Select(s => s.Id))}."];
            }
        }

        var location = Single(query, "location", errors);
        if (location is { Length: > MaxTextLength }) errors["location"] = [$"location must be at most {MaxTextLength} characters."];
        var lat = Number(query, "lat", -90, 90, errors);
        var lon = Number(query, "lon", -180, 180, errors);
        var radius = Number(query, "radiusKm", 1, 200, errors);
        if ((lat is null) != (lon is null) && !errors.ContainsKey("lat") && !errors.ContainsKey("lon"))
        {
            errors[lat is null ? "lat" : "lon"] = ["lat and lon must be given together."];
        }

        var studioId = Single(query, "studioId", errors);
        if (studioId is not null && !Identifiers.IsStudioId(studioId)) errors["studioId"] = ["studioId must look like 'studio-' followed by 4–40 lowercase letters or digits."];

        SearchSort? sort = null;
        if (Single(query, "sort", errors) is { } sortText)
        {
            if (Enum.TryParse<SearchSort>(sortText, ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(sortText[0])) sort = s;
            else errors["sort"] = ["sort must be one of: relevance, distance, rating, name."];
        }

        var page = Integer(query, "page", 1, MaxDepth, errors) ?? 1;
        var limit = Integer(query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        if (!errors.ContainsKey("page") && !errors.ContainsKey("limit") && (long)page * limit > MaxDepth)
        {
            errors["page"] = [$"Results are available to a depth of {MaxDepth}: page × limit must not exceed it."];
        }
        if (errors.Count > 0) return (null, errors);

        GeoFilter? geo = null;
        string? locationText = null;
        string? resolved = null;
        if (lat is not null && lon is not null)
        {
            geo = new GeoFilter(new GeoPoint(lat.Value, lon.Value), radius ?? DefaultRadiusKm);
        }
        else if (!string.IsNullOrWhiteSpace(location))
        {
            if (gazetteer.TryResolve(location, out var place))
            {
                geo = new GeoFilter(place.Location, radius ?? DefaultRadiusKm);
                resolved = place.Name;
            }
            else
            {
                locationText = location.Trim();
            }
        }
        else if (radius is not null)
        {
            errors["radiusKm"] = ["radiusKm needs a location or lat and lon."];
        }
        if (sort == SearchSort.Distance && geo is null) errors["sort"] = ["sort=distance needs a location the gazetteer knows, or lat and lon."];
        if (errors.Count > 0) return (null, errors);

        var hasText = !string.IsNullOrWhiteSpace(text);
        var request = new SearchRequest
        {
            Text = hasText ? text!.Trim() : null,
            Styles = styles,
            Geo = geo,
            LocationText = locationText,
            StudioId = studioId,
            Sort = sort ?? (hasText ? SearchSort.Relevance : geo is not null ? SearchSort.Distance : SearchSort.Rating),
            Page = page,
            Limit = limit,
        };
        return (new Parsed(request, resolved), errors);
    }
}
