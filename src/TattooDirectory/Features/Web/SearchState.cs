using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Artists;

namespace TattooDirectory.Features.Web;

/// <summary>
/// The search as the /artists URL carries it (web contract "URLs and state"). Read leniently, as
/// a browser form sends it: styles repeated or comma-separated, empty fields, a radius sent
/// with no location. It turns into the exact parameters <see cref="SearchQuery.Parse"/>
/// validates, and back into links that keep the whole state.
/// </summary>
public sealed record SearchState
{
    public const int PageSize = 24;
    public static readonly IReadOnlyList<int> RadiusChoices = [5, 10, 25, 50, 100];
    private const int MaxStyles = 40;

    public string Query { get; init; } = "";
    public IReadOnlyList<string> Styles { get; init; } = [];
    public string Location { get; init; } = "";
    public string RadiusKm { get; init; } = "";
    public string Sort { get; init; } = "";
    public string Page { get; init; } = "";
    public bool MapView { get; init; }
    /// <summary>Coordinates and studio filters the API accepts; passed through untouched.</summary>
    public IReadOnlyDictionary<string, string> PassThrough { get; init; } = new Dictionary<string, string>();

    public int PageNumber => ParsePage(Page);

    /// <summary>A 1-based page number from the URL; anything unreadable is the first page.</summary>
    public static int ParsePage(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? Math.Min(p, MaxPages) : 1;

    /// <summary>Pages of <see cref="PageSize"/> for a total, no deeper than search goes.</summary>
    public static int TotalPages(int total) => (int)Math.Ceiling(Math.Min(total, SearchQuery.MaxDepth) / (double)PageSize);

    private static int MaxPages => SearchQuery.MaxDepth / PageSize;

    public static SearchState From(IQueryCollection query)
    {
        var styles = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in query["styles"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            // Keep the vocabulary's id so the matching checkbox is ticked; unknown text stays for the error message.
            var id = StyleVocabulary.TryResolve(part, out var style) ? style.Id : part;
            if (seen.Add(id)) styles.Add(id);
            // The vocabulary is small: a longer list is junk, and enough of it is kept to report.
            if (styles.Count == MaxStyles) break;
        }
        var passThrough = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (string[])["lat", "lon", "studioId"])
        {
            if (First(query, name) is { Length: > 0 } value) passThrough[name] = value;
        }
        return new SearchState
        {
            Query = First(query, "query"),
            Styles = styles,
            Location = First(query, "location"),
            RadiusKm = First(query, "radiusKm"),
            Sort = First(query, "sort"),
            Page = First(query, "page"),
            MapView = string.Equals(First(query, "view"), "map", StringComparison.OrdinalIgnoreCase),
            PassThrough = passThrough,
        };
    }

    /// <summary>The parameters for <see cref="SearchQuery.Parse"/>: blanks dropped, styles joined, one page of <see cref="PageSize"/>.</summary>
    public QueryCollection ToApiQuery()
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal) { ["limit"] = PageSize.ToString(CultureInfo.InvariantCulture) };
        if (!string.IsNullOrWhiteSpace(Query)) values["query"] = Query;
        if (Styles.Count > 0) values["styles"] = string.Join(',', Styles);
        if (!string.IsNullOrWhiteSpace(Location)) values["location"] = Location;
        foreach (var (name, value) in PassThrough) values[name] = value;
        // The form always sends a radius; it only means something next to a place.
        if (HasPlace && RadiusKm.Length > 0) values["radiusKm"] = RadiusKm;
        if (Sort.Length > 0) values["sort"] = Sort;
        if (Page.Length > 0) values["page"] = Page;
        return new QueryCollection(values);
    }

    public bool HasPlace => !string.IsNullOrWhiteSpace(Location) || PassThrough.ContainsKey("lat");

    /// <summary>This search as an /artists URL, optionally on another page or in a named view ("grid" or "map").</summary>
    public string Url(int? page = null, string? view = null)
    {
        var query = new QueryBuilder();
        if (Query.Length > 0) query.Add("query", Query);
        foreach (var style in Styles) query.Add("styles", style);
        if (Location.Length > 0) query.Add("location", Location);
        foreach (var (name, value) in PassThrough) query.Add(name, value);
        if (HasPlace && RadiusKm.Length > 0) query.Add("radiusKm", RadiusKm);
        if (Sort.Length > 0) query.Add("sort", Sort);
        if ((page ?? PageNumber) is var p and > 1) query.Add("page", p.ToString(CultureInfo.InvariantCulture));
        if (view is not null) query.Add("view", view);
        else if (MapView) query.Add("view", "map");
        return "/artists" + query.ToQueryString();
    }

    private static string First(IQueryCollection query, string name) => query[name].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() ?? "";
}
