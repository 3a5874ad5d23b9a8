using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Search;
using static TattooDirectory.Backends.Aws.OpenSearch.OpenSearchSchema;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// Turns a <see cref="SearchRequest"/> into an OpenSearch search body with the Lucene adapter's
/// semantics. User text is never query syntax: it is split into terms client-side and each term
/// becomes explicit match/fuzzy/prefix clauses, so operators and quotes are plain separators.
/// </summary>
internal static class OpenSearchQuery
{
    /// <summary>Deepest hit a search can page to: OpenSearch's default max_result_window.</summary>
    public const int MaxResultWindow = 10_000;

    /// <summary>Facet buckets per field; the style vocabulary and UK cities fit well inside.</summary>
    public const int MaxFacetValues = 1_000;

    public const string StyleFacets = "styles";
    public const string CityFacets = "cities";

    // The Lucene adapter's weights: the name counts most, then studio and handle.
    private static readonly (string Field, double Boost)[] TextFields =
    [
        (Name, 3), (StudioName, 2), (Handle, 2), (StylesText, 1), (Bio, 1), (Location, 1),
    ];

    // An exact term must outrank its typo neighbours; a completed word must outrank a prefix.
    private const double FuzzyWeight = 0.4;
    private const double PrefixWeight = 0.8;
    // Dis-max keeps a common word that appears in several fields from outscoring a strong name match.
    private const double FieldTieBreaker = 0.2;
    private const int MaxFuzzyExpansions = 32;
    // One-letter prefixes expand to a large share of the vocabulary and say little.
    private const int MinPrefixLength = 2;
    private const int MaxPrefixExpansions = 64;
    private const int MaxStyleFilters = 64;

    public static JsonObject Search(SearchRequest request)
    {
        var terms = QueryTerms.Of(request.Text);
        var sort = EffectiveSort(request.Sort, hasText: terms.Count > 0, hasGeo: request.Geo is not null);
        var from = (long)(request.Page - 1) * request.Limit;
        // Past the window nothing is ranked at all, but the total and facets still count.
        var (start, size) = from >= MaxResultWindow ? (0, 0) : ((int)from, (int)Math.Min(request.Limit, MaxResultWindow - from));
        return new JsonObject
        {
            ["from"] = start,
            ["size"] = size,
            ["track_total_hits"] = true,
            ["_source"] = new JsonObject { ["excludes"] = new JsonArray(StylesText, Live) },
            ["query"] = Query(terms, request),
            ["sort"] = Sort(sort, request),
            ["aggs"] = new JsonObject
            {
                [StyleFacets] = Facet(Styles),
                [CityFacets] = Facet(City),
            },
        };
    }

    /// <summary>
    /// A relevance sort without text ranks by distance with a point, else by rating; a distance
    /// sort without a point by rating (the Lucene adapter's rule).
    /// </summary>
    public static SearchSort EffectiveSort(SearchSort requested, bool hasText, bool hasGeo) => requested switch
    {
        SearchSort.Relevance when !hasText => hasGeo ? SearchSort.Distance : SearchSort.Rating,
        SearchSort.Distance when !hasGeo => SearchSort.Rating,
        _ => requested,
    };

    /// <summary>Live documents that are not opted out: tombstones and hidden artists never show, nor count in facets.</summary>
    public static JsonArray Visible() =>
    [
        new JsonObject { ["term"] = new JsonObject { [Live] = true } },
        new JsonObject { ["term"] = new JsonObject { [OptedOut] = false } },
    ];

    private static JsonObject Query(IReadOnlyList<string> terms, SearchRequest request)
    {
        var query = new JsonObject();
        if (terms.Count > 0)
        {
            // Every term must match in some field, not all terms in one field.
            query["must"] = new JsonArray([.. terms.Select((term, i) => AnyField(term, isLast: i == terms.Count - 1))]);
        }

        query["filter"] = Filter(request);
        return new JsonObject { ["bool"] = query };
    }

    private static JsonObject AnyField(string term, bool isLast)
    {
        var maxEdits = term.Length switch { <= 2 => 0, <= 5 => 1, _ => 2 };
        var clauses = new JsonArray();
        foreach (var (field, boost) in TextFields)
        {
            clauses.Add(Match(field, term, boost));
            if (maxEdits > 0)
            {
                var fuzzy = Match(field, term, boost * FuzzyWeight);
                var options = fuzzy["match"]![field]!.AsObject();
                options["fuzziness"] = maxEdits;
                options["prefix_length"] = 1;
                options["max_expansions"] = MaxFuzzyExpansions;
                options["fuzzy_transpositions"] = true;
                // Scored per expanded term, as Lucene's FuzzyQuery, so the closer spelling ranks higher.
                options["fuzzy_rewrite"] = $"top_terms_{MaxFuzzyExpansions}";
                clauses.Add(fuzzy);
            }

            if (isLast && term.Length >= MinPrefixLength)
            {
                // Top terms, boost only: every completion scores the same, below an exact word,
                // and a prefix of a per-artist field (handles) cannot expand to thousands of terms.
                clauses.Add(new JsonObject
                {
                    ["prefix"] = new JsonObject
                    {
                        [field] = new JsonObject { ["value"] = term, ["boost"] = Round(boost * PrefixWeight), ["rewrite"] = $"top_terms_boost_{MaxPrefixExpansions}" },
                    },
                });
            }
        }

        // Bio prose also matches by stem, exactly (the stems are not worth fuzzing).
        clauses.Add(Match(BioEnglish, term, 1));
        return new JsonObject { ["dis_max"] = new JsonObject { ["tie_breaker"] = FieldTieBreaker, ["queries"] = clauses } };
    }

    // "and": a term the index's analyzer would split further must match whole.
    private static JsonObject Match(string field, string text, double boost) => new()
    {
        ["match"] = new JsonObject { [field] = new JsonObject { ["query"] = text, ["operator"] = "and", ["boost"] = Round(boost) } },
    };

    private static JsonArray Filter(SearchRequest request)
    {
        var filter = Visible();
        var styles = request.Styles.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).Take(MaxStyleFilters).ToList();
        if (styles.Count > 0)
        {
            filter.Add(new JsonObject { ["terms"] = new JsonObject { [Styles] = new JsonArray([.. styles.Select(s => JsonValue.Create(s))]) } });
        }

        if (!string.IsNullOrEmpty(request.StudioId))
        {
            filter.Add(new JsonObject { ["term"] = new JsonObject { [StudioId] = request.StudioId } });
        }

        if (!string.IsNullOrWhiteSpace(request.LocationText))
        {
            var terms = QueryTerms.Of(request.LocationText);
            // Text with no searchable term cannot name a place: it matches nothing rather than everywhere.
            filter.Add(terms.Count == 0
                ? new JsonObject { ["match_none"] = new JsonObject() }
                : new JsonObject { ["match"] = new JsonObject { [Location] = new JsonObject { ["query"] = string.Join(' ', terms), ["operator"] = "and" } } });
        }

        if (request.Geo is { } geo)
        {
            filter.Add(new JsonObject
            {
                ["geo_distance"] = new JsonObject
                {
                    ["distance"] = Kilometres(geo.RadiusKm),
                    ["distance_type"] = "arc",
                    [Geo] = Point(geo),
                },
            });
        }

        return filter;
    }

    /// <summary>Each sort ends on the artist id, so a page boundary never shuffles between requests.</summary>
    private static JsonArray Sort(SearchSort sort, SearchRequest request)
    {
        var order = sort switch
        {
            SearchSort.Relevance => [new JsonObject { ["_score"] = "desc" }],
            SearchSort.Distance => [new JsonObject
            {
                ["_geo_distance"] = new JsonObject
                {
                    [Geo] = Point(request.Geo!),
                    ["order"] = "asc",
                    ["unit"] = "km",
                    ["distance_type"] = "arc",
                },
            }],
            SearchSort.Name => [new JsonObject { [NameSort] = "asc" }],
            _ => new JsonArray(new JsonObject { [Rating] = "desc" }, new JsonObject { [ReviewCount] = "desc" }),
        };
        order.Add(new JsonObject { [ArtistId] = "asc" });
        return order;
    }

    // By count, then value, so equal counts list in a stable order (as the Lucene facets).
    private static JsonObject Facet(string field) => new()
    {
        ["terms"] = new JsonObject
        {
            ["field"] = field,
            ["size"] = MaxFacetValues,
            ["order"] = new JsonArray(new JsonObject { ["_count"] = "desc" }, new JsonObject { ["_key"] = "asc" }),
        },
    };

    private static JsonObject Point(GeoFilter geo) => new() { ["lat"] = geo.Center.Lat, ["lon"] = geo.Center.Lon };

    private static string Kilometres(double km) => km.ToString("R", CultureInfo.InvariantCulture) + "km";

    // Boosts are products of decimal weights: 3 × 0.4 is 1.2000000000000002 in binary.
    private static double Round(double boost) => Math.Round(boost, 6);
}
