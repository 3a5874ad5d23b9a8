using System.Net;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

using static TattooDirectory.Tests.Backends.Aws.OpenSearch.SignedClients;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>
/// The exact requests the OpenSearch adapter sends and what it makes of OpenSearch's documented
/// answers (search with aggregations, bulk items, errors and throttling), with no network.
/// </summary>
public sealed class OpenSearchShapeTests : IDisposable
{
    private static readonly GeoPoint Manchester = new(53.4808, -2.2426);
    private readonly CannedOpenSearch search = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- Search ---------------------------------------------------------------------------------

    [Fact]
    public async Task A_search_answer_becomes_hits_in_order_the_exact_total_facets_and_distances()
    {
        search.Respond(HttpStatusCode.OK, """
            {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
             "hits":{"total":{"value":42,"relation":"eq"},"max_score":null,"hits":[
               {"_index":"artists","_id":"artist-0002","_score":null,"sort":[1.0,"artist-0002"],
                "_source":{"artistId":"artist-0002","version":4,"name":"Rosa Thorn","studioId":"studio-0001","studioName":"Ink Works",
                  "city":"Manchester","locationDisplay":"Ancoats, Manchester","geo":{"lat":53.4808,"lon":-2.2426},"styles":["blackwork","fineline"],
                  "bio":"Large koi backpieces.","instagramHandle":"rosa_tattoos","avatarUrl":"/blobs/a.webp","thumbnails":["/blobs/t1.webp"],
                  "rating":4.9,"reviewCount":50,"optedOut":false}},
               {"_index":"artists","_id":"artist-0001","_score":null,"sort":[2.0,"artist-0001"],
                "_source":{"artistId":"artist-0001","version":1,"name":"Kim Vale","city":"Salford","locationDisplay":"Salford",
                  "geo":{"lat":53.4875,"lon":-2.2901},"styles":[],"bio":"","rating":3.5,"reviewCount":2,"optedOut":false}}]},
             "aggregations":{
               "styles":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"blackwork","doc_count":30},{"key":"fineline","doc_count":12}]},
               "cities":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"Manchester","doc_count":40},{"key":"Salford","doc_count":2}]}}}
            """);

        var result = await search.Index.SearchAsync(new SearchRequest { Geo = new GeoFilter(Manchester, 10), Sort = SearchSort.Distance }, Ct);

        Assert.Equal(42, result.Total);
        Assert.Equal(["artist-0002", "artist-0001"], result.Hits.Select(h => h.Document.ArtistId));
        Assert.Equivalent(new ArtistDocument
        {
            ArtistId = "artist-0002", Version = 4, Name = "Rosa Thorn", StudioId = "studio-0001", StudioName = "Ink Works",
            City = "Manchester", LocationDisplay = "Ancoats, Manchester", Geo = Manchester, Styles = ["blackwork", "fineline"],
            Bio = "Large koi backpieces.", InstagramHandle = "rosa_tattoos", AvatarUrl = "/blobs/a.webp", Thumbnails = ["/blobs/t1.webp"],
            Rating = 4.9, ReviewCount = 50,
        }, result.Hits[0].Document, strict: true);
        Assert.Equal([0, 3.23], result.Hits.Select(h => Math.Round(h.DistanceKm!.Value, 2)));
        Assert.Equal([new("blackwork", 30), new("fineline", 12)], result.StyleFacets);
        Assert.Equal([new("Manchester", 40), new("Salford", 2)], result.CityFacets);
    }

    [Fact]
    public async Task Without_a_geo_filter_hits_carry_no_distance()
    {
        search.RespondEmptySearch();

        var result = await search.Index.SearchAsync(new SearchRequest(), Ct);

        Assert.Empty(result.Hits);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public async Task Calls_are_signed_for_the_es_service_in_the_configured_region()
    {
        search.RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest(), Ct);

        var authorization = search.Request(0).Request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250301/eu-west-2/es/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Equal("application/json", search.Request(0).Request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_throttled_call_is_retried_by_the_signed_client()
    {
        search.Respond(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests"}""")
            .Respond(HttpStatusCode.ServiceUnavailable, """{"error":{"type":"cluster_block_exception","reason":"blocked"},"status":503}""")
            .RespondEmptySearch();

        await search.Index.SearchAsync(new SearchRequest(), Ct);

        Assert.Equal(3, search.Http.Requests.Count);
    }

    [Fact]
    public async Task A_missing_index_fails_with_its_error_type_and_without_the_reason_text()
    {
        const string missing = """
            {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [artists]","index":"artists","resource.id":"artists","resource.type":"index_or_alias","index_uuid":"_na_"}],
             "type":"index_not_found_exception","reason":"no such index [artists]","index":"artists","resource.id":"artists","resource.type":"index_or_alias","index_uuid":"_na_"},"status":404}
            """;
        search.Respond(HttpStatusCode.NotFound, missing).Respond(HttpStatusCode.NotFound, missing).Respond(HttpStatusCode.NotFound, missing);

        var searching = await Assert.ThrowsAsync<OpenSearchException>(() => search.Index.SearchAsync(new SearchRequest(), Ct));
        var reading = await Assert.ThrowsAsync<OpenSearchException>(() => search.Index.GetVersionAsync("artist-0001", Ct));
        var counting = await Assert.ThrowsAsync<OpenSearchException>(() => search.Index.CountAsync(Ct));

        Assert.All([searching, reading, counting], failure =>
        {
            Assert.Equal((HttpStatusCode.NotFound, "index_not_found_exception"), (failure.Status, failure.ErrorType));
            Assert.DoesNotContain("no such index", failure.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Without_an_endpoint_every_call_fails_naming_the_setting()
    {
        using var unconfigured = new CannedOpenSearch(endpoint: null);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => unconfigured.Index.CountAsync(Ct));

        Assert.Contains("Aws:OpenSearch:Endpoint", failure.Message, StringComparison.Ordinal);
        Assert.Empty(unconfigured.Http.Requests);
    }

    [Fact]
    public async Task An_endpoint_with_a_path_keeps_it_in_every_request()
    {
        using var custom = new CannedOpenSearch(endpoint: "http://localhost:4566/tattoo-search/");
        custom.Respond(HttpStatusCode.OK, """{"count":3,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        Assert.Equal(3, await custom.Index.CountAsync(Ct));
        Assert.Equal("http://localhost:4566/tattoo-search/artists/_count", custom.Request(0).Request.RequestUri!.ToString());
    }

    // ---- Versions, counts, listing, refresh ---------------------------------------------------

    [Fact]
    public async Task A_version_is_a_realtime_get_and_an_unknown_artist_has_none()
    {
        search.Respond(HttpStatusCode.OK, """{"_index":"artists","_id":"artist-0001","_version":7,"_seq_no":12,"_primary_term":1,"found":true}""")
            .Respond(HttpStatusCode.NotFound, """{"_index":"artists","_id":"artist-none","found":false}""");

        Assert.Equal(7, await search.Index.GetVersionAsync("artist-0001", Ct));
        Assert.Null(await search.Index.GetVersionAsync("artist-none", Ct));
        Assert.Equal("GET /artists/_doc/artist-0001?_source=false", search.SentLine(0));
    }

    [Fact]
    public async Task Count_counts_live_documents_only()
    {
        search.Respond(HttpStatusCode.OK, """{"count":12,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        Assert.Equal(12, await search.Index.CountAsync(Ct));
        Assert.Equal("POST /artists/_count", search.SentLine(0));
        AssertJson("""{"query":{"bool":{"filter":[{"term":{"live":true}}]}}}""", search.SentJson(0));
    }

    [Fact]
    public async Task Listing_pages_through_live_documents_in_id_order_with_search_after()
    {
        var full = string.Join(',', Enumerable.Range(0, 1_000).Select(i => Hit($"artist-{i:0000}", version: i + 1)));
        search.Respond(HttpStatusCode.OK, $$$"""{"hits":{"total":{"value":1001,"relation":"eq"},"hits":[{{{full}}}]}}""")
            .Respond(HttpStatusCode.OK, $$$"""{"hits":{"total":{"value":1001,"relation":"eq"},"hits":[{{{Hit("artist-1000", version: 3)}}}]}}""");

        var listed = await search.Index.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(1_001, listed.Count);
        Assert.Equal(("artist-1000", 3L), listed[^1]);
        AssertJson("""
            {"size":1000,"query":{"bool":{"filter":[{"term":{"live":true}}]}},"sort":[{"artistId":"asc"}],"_source":["artistId","version"]}
            """, search.SentJson(0));
        Assert.Equal("""["artist-0999"]""", search.SentJson(1)["search_after"]!.ToJsonString());

        static string Hit(string id, long version) =>
            $$$"""{"_index":"artists","_id":"{{{id}}}","_score":null,"_source":{"artistId":"{{{id}}}","version":{{{version}}}},"sort":["{{{id}}}"]}""";
    }

    [Fact]
    public async Task A_refresh_asks_the_index_to_refresh()
    {
        search.Respond(HttpStatusCode.OK, """{"_shards":{"total":2,"successful":1,"failed":0}}""");

        await search.Index.RefreshAsync(Ct);

        Assert.Equal("POST /artists/_refresh", search.SentLine(0));
    }

    // ---- Index creation ------------------------------------------------------------------------

    [Fact]
    public async Task The_index_is_created_with_an_explicit_mapping_and_an_existing_one_is_kept()
    {
        search.Respond(HttpStatusCode.OK, """{"acknowledged":true,"shards_acknowledged":true,"index":"artists"}""")
            .Respond(HttpStatusCode.BadRequest, """
                {"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [artists/abc] already exists","index_uuid":"abc","index":"artists"}],
                 "type":"resource_already_exists_exception","reason":"index [artists/abc] already exists","index_uuid":"abc","index":"artists"},"status":400}
                """);

        await search.Index.EnsureIndexAsync(Ct);
        await search.Index.EnsureIndexAsync(Ct);

        Assert.Equal("PUT /artists", search.SentLine(0));
        var sent = search.SentJson(0);
        var fields = sent["mappings"]!["properties"]!;
        Assert.Equal(("text", "folding", "sort_key"), (Str(fields["name"]!["type"]), Str(fields["name"]!["analyzer"]), Str(fields["name"]!["fields"]!["sort"]!["normalizer"])));
        Assert.Equal("english_folding", Str(fields["bio"]!["fields"]!["english"]!["analyzer"]));
        Assert.Equal(["keyword", "keyword", "keyword", "keyword"], new[] { "styles", "city", "studioId", "artistId" }.Select(f => Str(fields[f]!["type"])));
        Assert.Equal(["geo_point", "double", "integer", "long", "boolean"], new[] { "geo", "rating", "reviewCount", "version", "live" }.Select(f => Str(fields[f]!["type"])));
        Assert.Equal(["location"], new[] { "city", "locationDisplay" }.Select(f => Str(fields[f]!["copy_to"])).Distinct());
        var analysis = sent["settings"]!["analysis"]!;
        AssertJson("""["lowercase","asciifolding"]""", analysis["analyzer"]!["folding"]!["filter"]);
        Assert.Equal(("-1", "request", 1), (Str(sent["settings"]!["index"]!["refresh_interval"]), Str(sent["settings"]!["index"]!["translog"]!["durability"]), sent["settings"]!["index"]!["number_of_shards"]!.GetValue<int>()));

        static string Str(JsonNode? node) => node!.GetValue<string>();
    }

    [Fact]
    public async Task Index_creation_refused_for_another_reason_fails()
    {
        search.Respond(HttpStatusCode.Forbidden, """{"Message":"User: anonymous is not authorized to perform: es:ESHttpPut"}""");

        var failure = await Assert.ThrowsAsync<OpenSearchException>(() => search.Index.EnsureIndexAsync(Ct));

        Assert.Equal((HttpStatusCode.Forbidden, null), (failure.Status, failure.ErrorType));
    }

    public void Dispose() => search.Dispose();
}
