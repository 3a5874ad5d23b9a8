using System.Text.Json.Nodes;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

using static TattooDirectory.Tests.Backends.Aws.OpenSearch.SignedClients;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>
/// Issue 7, item 4: for a table of searches, the body the OpenSearch adapter sends expresses the
/// same filters, sort and paging as the Lucene adapter's query (Backends.Local/Lucene:
/// QueryFactory, SearchCollector, HitOrder) and as the SearchIndexContract expects. Compared as
/// parsed JSON, so key order is free but every clause and value counts.
/// </summary>
public sealed class OpenSearchQueryTranslationTests : IDisposable
{
    private const string Visible = """{"term":{"live":true}},{"term":{"optedOut":false}}""";
    private const string OnlyVisible = """{"bool":{"filter":[""" + Visible + "]}}";
    private const string ByRating = """[{"rating":"desc"},{"reviewCount":"desc"},{"artistId":"asc"}]""";
    private static readonly GeoPoint Manchester = new(53.4808, -2.2426);

    private readonly CannedOpenSearch search = new();

    private static string Filtered(string clause) => """{"bool":{"filter":[""" + Visible + "," + clause + "]}}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each row: the request, then the query, sort, from and size it must become, and the Lucene behaviour it mirrors.</summary>
    private static readonly Dictionary<string, (SearchRequest Request, string Query, string Sort, int From, int Size)> Rows = new()
    {
        // Lucene: MatchAllDocsQuery; the collector drops tombstones and opted-out artists; default sort rating, then reviews, then id.
        ["everything"] = (new SearchRequest(), OnlyVisible, ByRating, 0, 20),

        // Lucene: AnyOf(style) over distinct non-empty ids, as a filter that does not score.
        ["styles any-of"] = (new SearchRequest { Styles = ["blackwork", "fineline", "blackwork", ""] },
            Filtered("""{"terms":{"styles":["blackwork","fineline"]}}"""), ByRating, 0, 20),

        // Lucene: TermQuery(studioId).
        ["studio"] = (new SearchRequest { StudioId = "studio-0002" },
            Filtered("""{"term":{"studioId":"studio-0002"}}"""), ByRating, 0, 20),

        // Lucene: every analysed term of the location text must be in city + location display.
        ["location text"] = (new SearchRequest { LocationText = "Chapel Allerton" },
            Filtered("""{"match":{"location":{"query":"chapel allerton","operator":"and"}}}"""), ByRating, 0, 20),

        // Lucene: location text with no searchable term adds an empty clause that matches nothing.
        ["location text without terms"] = (new SearchRequest { LocationText = "@@ !!" },
            Filtered("""{"match_none":{}}"""), ByRating, 0, 20),

        // Lucene: geo cells narrow, the collector checks the exact haversine radius; distance sort nearest first, then id.
        ["geo with distance sort"] = (new SearchRequest { Geo = new GeoFilter(Manchester, 24.9), Sort = SearchSort.Distance },
            Filtered("""{"geo_distance":{"distance":"24.9km","distance_type":"arc","geo":{"lat":53.4808,"lon":-2.2426}}}"""),
            """[{"_geo_distance":{"geo":{"lat":53.4808,"lon":-2.2426},"order":"asc","unit":"km","distance_type":"arc"}},{"artistId":"asc"}]""", 0, 20),

        // Lucene EffectiveSort: a distance sort without a point falls back to rating.
        ["distance sort without a point"] = (new SearchRequest { Sort = SearchSort.Distance },
            OnlyVisible, ByRating, 0, 20),

        // Lucene EffectiveSort: relevance without text ranks by distance when there is a point.
        ["relevance without text, with a point"] = (new SearchRequest { Sort = SearchSort.Relevance, Geo = new GeoFilter(Manchester, 5) },
            Filtered("""{"geo_distance":{"distance":"5km","distance_type":"arc","geo":{"lat":53.4808,"lon":-2.2426}}}"""),
            """[{"_geo_distance":{"geo":{"lat":53.4808,"lon":-2.2426},"order":"asc","unit":"km","distance_type":"arc"}},{"artistId":"asc"}]""", 0, 20),

        // Lucene: text of separators only is no text, so relevance falls back to rating and nothing must match.
        ["relevance with text of no terms"] = (new SearchRequest { Sort = SearchSort.Relevance, Text = " -\"()!! " },
            OnlyVisible, ByRating, 0, 20),

        // Lucene: name sort on the lower-cased, ASCII-folded name (the name.sort normalizer), then id.
        ["name sort"] = (new SearchRequest { Sort = SearchSort.Name },
            OnlyVisible, """[{"name.sort":"asc"},{"artistId":"asc"}]""", 0, 20),

        // Lucene: page n of size k skips (n-1)·k ranked hits.
        ["third page"] = (new SearchRequest { Page = 3, Limit = 10 }, OnlyVisible, ByRating, 20, 10),

        // Lucene: ranking stops at the 10,000th hit (max_result_window); the page is cut there.
        ["page reaching the window"] = (new SearchRequest { Page = 2, Limit = 9_999 }, OnlyVisible, ByRating, 9_999, 1),

        // Lucene: a page past the window ranks nothing but still counts the total and facets.
        ["page past the window"] = (new SearchRequest { Page = 1_001, Limit = 10 }, OnlyVisible, ByRating, 0, 0),

        // Lucene QueryFactory.Term for "Zoë" (folded to "zoe", three letters: one edit, and a
        // prefix as the last term): a dis-max over the six fields with their boosts, exact ×1,
        // fuzzy ×0.4 (prefix length 1, 32 expansions), prefix ×0.8 (top 64 terms, boost only).
        ["one term"] = (new SearchRequest { Text = "Zoë", Sort = SearchSort.Relevance }, """
            {"bool":{
              "must":[{"dis_max":{"tie_breaker":0.2,"queries":[
                {"match":{"name":{"query":"zoe","operator":"and","boost":3}}},
                {"match":{"name":{"query":"zoe","operator":"and","boost":1.2,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"name":{"value":"zoe","boost":2.4,"rewrite":"top_terms_boost_64"}}},
                {"match":{"studioName":{"query":"zoe","operator":"and","boost":2}}},
                {"match":{"studioName":{"query":"zoe","operator":"and","boost":0.8,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"studioName":{"value":"zoe","boost":1.6,"rewrite":"top_terms_boost_64"}}},
                {"match":{"instagramHandle":{"query":"zoe","operator":"and","boost":2}}},
                {"match":{"instagramHandle":{"query":"zoe","operator":"and","boost":0.8,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"instagramHandle":{"value":"zoe","boost":1.6,"rewrite":"top_terms_boost_64"}}},
                {"match":{"stylesText":{"query":"zoe","operator":"and","boost":1}}},
                {"match":{"stylesText":{"query":"zoe","operator":"and","boost":0.4,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"stylesText":{"value":"zoe","boost":0.8,"rewrite":"top_terms_boost_64"}}},
                {"match":{"bio":{"query":"zoe","operator":"and","boost":1}}},
                {"match":{"bio":{"query":"zoe","operator":"and","boost":0.4,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"bio":{"value":"zoe","boost":0.8,"rewrite":"top_terms_boost_64"}}},
                {"match":{"location":{"query":"zoe","operator":"and","boost":1}}},
                {"match":{"location":{"query":"zoe","operator":"and","boost":0.4,"fuzziness":1,"prefix_length":1,"max_expansions":32,"fuzzy_transpositions":true,"fuzzy_rewrite":"top_terms_32"}}},
                {"prefix":{"location":{"value":"zoe","boost":0.8,"rewrite":"top_terms_boost_64"}}},
                {"match":{"bio.english":{"query":"zoe","operator":"and","boost":1}}}
              ]}}],
              "filter":[{"term":{"live":true}},{"term":{"optedOut":false}}]}}
            """, """[{"_score":"desc"},{"artistId":"asc"}]""", 0, 20),
    };

    public static TheoryData<string> RowNames => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task The_search_body_expresses_the_lucene_adapters_filters_sort_and_paging(string row)
    {
        var (request, query, sort, from, size) = Rows[row];
        search.RespondEmptySearch();

        await search.Index.SearchAsync(request, Ct);

        var sent = search.SentJson(0);
        Assert.Equal("POST /artists/_search", search.SentLine(0));
        AssertJson(query, sent["query"]);
        AssertJson(sort, sent["sort"]);
        Assert.Equal((from, size), (sent["from"]!.GetValue<int>(), sent["size"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Every_search_counts_the_exact_total_and_both_facets_by_count_then_value()
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest { Text = "rosa" }, Ct);

        var sent = search.SentJson(0);
        Assert.True(sent["track_total_hits"]!.GetValue<bool>());
        AssertJson("""
            {"styles":{"terms":{"field":"styles","size":1000,"order":[{"_count":"desc"},{"_key":"asc"}]}},
             "cities":{"terms":{"field":"city","size":1000,"order":[{"_count":"desc"},{"_key":"asc"}]}}}
            """, sent["aggs"]);
    }

    [Theory]
    [InlineData("jo", 0)]        // Lucene: terms of up to two letters match exactly
    [InlineData("mark", 1)]      // three to five letters: one edit
    [InlineData("blakwell", 2)]  // six or more: two edits
    public async Task Fuzziness_grows_with_the_term_length_as_in_lucene(string text, int edits)
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest { Text = $"{text} last" }, Ct);

        var first = Clauses(search.SentJson(0), term: 0);
        var fuzziness = first.Select(c => c["match"]?.AsObject().First().Value?["fuzziness"]).OfType<JsonNode>().Select(f => f.GetValue<int>()).Distinct();
        Assert.Equal(edits == 0 ? [] : [edits], fuzziness);
        // Only the last term is also a prefix (the word being typed).
        Assert.DoesNotContain(first, c => c.ContainsKey("prefix"));
        Assert.Contains(Clauses(search.SentJson(0), term: 1), c => c.ContainsKey("prefix"));
    }

    [Fact]
    public async Task A_one_letter_last_term_is_not_a_prefix()
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest { Text = "rosa b" }, Ct);

        Assert.DoesNotContain(Clauses(search.SentJson(0), term: 1), c => c.ContainsKey("prefix"));
    }

    [Theory]
    [InlineData("name:rosa~2^10 AND bio:[* TO *] OR /reg.*ex/ \"unclosed", new[] { "name:rosa", "2", "10", "and", "bio", "to", "or", "reg", "ex", "unclosed" })]
    [InlineData("@rosa_tattoos", new[] { "rosa_tattoos" })]
    [InlineData("rosa.thorn 3.5 o'neil", new[] { "rosa.thorn", "3.5", "o'neil" })]
    [InlineData("🖤🐉 Rosa 👩🏽‍🎨 ro\0sa", new[] { "rosa", "ro", "sa" })]
    [InlineData("Ménard ŁÓDŹ straße", new[] { "menard", "lodz", "strasse" })]
    public async Task User_text_becomes_terms_as_the_standard_tokenizer_splits_it_never_query_syntax(string text, string[] terms)
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest { Text = text }, Ct);

        var sent = search.SentJson(0);
        var must = sent["query"]!["bool"]!["must"]!.AsArray();
        Assert.Equal(terms, must.Select((_, i) => Clauses(sent, i)[0]!["match"]!.AsObject().First().Value!["query"]!.GetValue<string>()));
        Assert.DoesNotContain("query_string", sent.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_text_is_capped_at_sixteen_terms_of_at_most_64_characters()
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest { Text = new string('a', 10_000) + " " + string.Join(' ', Enumerable.Range(0, 2_000).Select(i => $"w{i}")) }, Ct);

        var sent = search.SentJson(0);
        var must = sent["query"]!["bool"]!["must"]!.AsArray();
        Assert.Equal(16, must.Count);
        Assert.Equal(new string('a', 64), Clauses(sent, 0)[0]!["match"]!["name"]!["query"]!.GetValue<string>());
    }

    public void Dispose() => search.Dispose();

    private static List<JsonObject> Clauses(JsonObject sent, int term) =>
        [.. sent["query"]!["bool"]!["must"]![term]!["dis_max"]!["queries"]!.AsArray().Select(c => c!.AsObject())];
}
