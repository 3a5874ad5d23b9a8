using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Search;

/// <summary>
/// The degraded search (product.md §5): when the index is unavailable, answer from the table's
/// style fan-out (GSI1: style, then geohash) instead of failing. It reads a bounded number of
/// items, so totals are exact only up to that bound; text matching is a plain substring test.
/// </summary>
public sealed class TableSearch(ITable table)
{
    public const int MaxItemsRead = 5000;

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        var styles = request.Styles.Count > 0 ? request.Styles : [.. StyleVocabulary.All.Select(s => s.Id)];
        var prefixes = request.Geo is { } geo ? Geohash.Cover(geo.Center, geo.RadiusKm) : [""];
        var documents = new Dictionary<string, ArtistDocument>(StringComparer.Ordinal);
        var read = 0;
        foreach (var style in styles)
        {
            foreach (var prefix in prefixes)
            {
                string? cursor = null;
                do
                {
                    var query = new TableQuery(Keys.StylePrefix + style) { Index = TableIndex.Gsi1, SortKeyPrefix = "GEO#" + prefix, Limit = 500, Cursor = cursor };
                    var page = await table.QueryAsync(query, cancellationToken);
                    foreach (var item in page.Items)
                    {
                        var document = ArtistItems.ReadDocument(item);
                        documents.TryAdd(document.ArtistId, document);
                    }
                    read += page.Items.Count;
                    cursor = read < MaxItemsRead ? page.NextCursor : null;
                }
                while (cursor is not null);
            }
        }

        var hits = documents.Values
            .Where(d => !d.OptedOut && Matches(d, request))
            .Select(d => new SearchHit(d, request.Geo is { } g ? GeoMath.DistanceKm(g.Center, d.Geo) : null))
            .Where(h => request.Geo is null || h.DistanceKm <= request.Geo.RadiusKm)
            .ToList();
        var ordered = Sort(hits, request.Sort).ToList();
        var page1 = ordered.Skip((request.Page - 1) * request.Limit).Take(request.Limit).ToList();
        return new SearchResult(page1, ordered.Count, Facet(ordered.SelectMany(h => h.Document.Styles)), Facet(ordered.Select(h => h.Document.City)))
        {
            Degraded = true,
        };
    }

    private static bool Matches(ArtistDocument d, SearchRequest request)
    {
        if (request.StudioId is not null && d.StudioId != request.StudioId) return false;
        if (request.LocationText is { } place && !Contains(d.City, place) && !Contains(d.LocationDisplay, place)) return false;
        if (string.IsNullOrWhiteSpace(request.Text)) return true;
        var text = request.Text.Trim().TrimStart('@');
        return Contains(d.Name, text) || Contains(d.StudioName, text) || Contains(d.InstagramHandle, text) || d.Styles.Any(s => Contains(s, text));
    }

    private static bool Contains(string? haystack, string needle) => haystack?.Contains(needle, StringComparison.OrdinalIgnoreCase) == true;

    private static IEnumerable<SearchHit> Sort(List<SearchHit> hits, SearchSort sort) => sort switch
    {
        SearchSort.Distance when hits.All(h => h.DistanceKm is not null) => hits.OrderBy(h => h.DistanceKm).ThenBy(h => h.Document.ArtistId, StringComparer.Ordinal),
        SearchSort.Name => hits.OrderBy(h => h.Document.Name, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.Document.ArtistId, StringComparer.Ordinal),
        _ => hits.OrderByDescending(h => h.Document.Rating).ThenByDescending(h => h.Document.ReviewCount).ThenBy(h => h.Document.ArtistId, StringComparer.Ordinal),
    };

    private static List<FacetCount> Facet(IEnumerable<string> values) =>
        [.. values.GroupBy(v => v, StringComparer.Ordinal).Select(g => new FacetCount(g.Key, g.Count())).OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];
}
