using TattooDirectory.Core.Domain;
using Lucene.Net.Index;
using Lucene.Net.Search;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Turns a <see cref="SearchRequest"/> into a Lucene query without ever parsing user text as
/// syntax: text is analysed into terms and each term becomes explicit term/fuzzy/prefix clauses.
/// </summary>
internal sealed class QueryFactory(SearchAnalyzer analyzer)
{
    private static readonly (string Field, float Boost)[] TextFields =
    [
        (IndexSchema.Name, 3f),
        (IndexSchema.StudioName, 2f),
        (IndexSchema.Handle, 2f),
        (IndexSchema.StylesText, 1f),
        (IndexSchema.Bio, 1f),
        (IndexSchema.Location, 1f),
    ];

    // An exact term must outrank its typo neighbours; a completed word must outrank a prefix.
    private const float FuzzyWeight = 0.4f;
    private const float PrefixWeight = 0.8f;
    // Dis-max keeps a common word that appears in several fields from outscoring a strong name match.
    private const float FieldTieBreaker = 0.2f;
    private const int MaxFuzzyExpansions = 32;
    // One-letter prefixes expand to a large share of the vocabulary and say little.
    private const int MinPrefixLength = 2;
    private const int MaxStyleFilters = 64;
    private const int MaxPrefixExpansions = 64;
    // One term's automata (0, 1 and 2 edits) weigh about 120 KB, so this holds the most searched
    // words in about 30 MB at most.
    private const int CachedFuzzyTerms = 256;

    // Boost-only: every completion of a prefix scores the same, below an exact word.
    private static readonly MultiTermQuery.RewriteMethod PrefixRewrite = new MultiTermQuery.TopTermsBoostOnlyBooleanQueryRewrite(MaxPrefixExpansions);

    private readonly FuzzyAutomataCache fuzzyAutomata = new(CachedFuzzyTerms);

    /// <summary>The text part (scored), or null when the text holds no searchable term.</summary>
    public Query? Text(string? text)
    {
        var terms = analyzer.Terms(text);
        if (terms.Count == 0) return null;
        var all = new BooleanQuery(disableCoord: true);
        for (var i = 0; i < terms.Count; i++)
        {
            all.Add(Term(terms[i], isLast: i == terms.Count - 1), Occur.MUST);
        }
        return all;
    }

    /// <summary>
    /// The non-scoring part, or null when nothing narrows the search: styles, studio, location
    /// text and the geo cells around the circle. Visibility and the exact radius are checked by
    /// <see cref="SearchCollector"/> from cached columns, cheaper than one more clause to intersect.
    /// </summary>
    public Query? Filter(SearchRequest request)
    {
        var filter = new BooleanQuery(disableCoord: true);
        var styles = request.Styles.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).Take(MaxStyleFilters).ToList();
        if (styles.Count > 0) filter.Add(AnyOf(IndexSchema.Style, styles), Occur.MUST);
        if (!string.IsNullOrEmpty(request.StudioId))
        {
            filter.Add(new TermQuery(new Term(IndexSchema.StudioId, request.StudioId)), Occur.MUST);
        }
        if (!string.IsNullOrWhiteSpace(request.LocationText))
        {
            var terms = analyzer.Terms(request.LocationText);
            // Text with no searchable term cannot name a place: an empty clause matches nothing,
            // where skipping it would match everywhere.
            if (terms.Count == 0) filter.Add(new BooleanQuery(), Occur.MUST);
            foreach (var term in terms) filter.Add(new TermQuery(new Term(IndexSchema.Location, term)), Occur.MUST);
        }
        if (request.Geo is { } geo && GeoGrid.CoveringCells(GeoMath.BoundingBox(geo.Center, geo.RadiusKm)) is { } covering)
        {
            filter.Add(new ConstantScoreQuery(new AnyTermFilter(covering.Field, covering.Cells)), Occur.MUST);
        }
        return filter.Clauses.Count == 0 ? null : filter;
    }

    private Query Term(string term, bool isLast)
    {
        var maxEdits = term.Length switch { <= 2 => 0, <= 5 => 1, _ => 2 };
        var automata = maxEdits > 0 ? fuzzyAutomata.For(term, maxEdits) : null;
        var anyField = new DisjunctionMaxQuery(FieldTieBreaker);
        foreach (var (field, boost) in TextFields)
        {
            var t = new Term(field, term);
            anyField.Add(new TermQuery(t) { Boost = boost });
            if (automata is not null)
            {
                anyField.Add(new SharedFuzzyQuery(t, maxEdits, prefixLength: 1, MaxFuzzyExpansions, automata) { Boost = boost * FuzzyWeight });
            }
            if (isLast && term.Length >= MinPrefixLength)
            {
                // Top terms only: a prefix of a per-artist field (handles) can match thousands of
                // terms, and reading every one's postings costs more than the rest of the search.
                anyField.Add(new PrefixQuery(t) { Boost = boost * PrefixWeight, MultiTermRewriteMethod = PrefixRewrite });
            }
        }
        return anyField;
    }

    private static BooleanQuery AnyOf(string field, IEnumerable<string> values)
    {
        var any = new BooleanQuery(disableCoord: true);
        foreach (var value in values) any.Add(new TermQuery(new Term(field, value)), Occur.SHOULD);
        return any;
    }
}
