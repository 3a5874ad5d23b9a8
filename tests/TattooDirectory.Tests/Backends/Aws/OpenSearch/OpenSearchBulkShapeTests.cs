using System.Net;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

using static TattooDirectory.Tests.Backends.Aws.OpenSearch.SignedClients;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>
/// Index writes through the bulk API: the NDJSON the adapter sends, and how it reads the
/// documented per-item outcomes (created, updated, version conflict, rejected, failed). Request
/// 0 is always the index creation the first write makes.
/// </summary>
public sealed class OpenSearchBulkShapeTests : IDisposable
{
    private readonly CannedOpenSearch search = new CannedOpenSearch().RespondIndexCreated();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ArtistDocument Artist(string id, long version) => new()
    {
        ArtistId = id,
        Version = version,
        Name = "Rosa Thorn",
        City = "Manchester",
        LocationDisplay = "Ancoats, Manchester",
        Geo = new GeoPoint(53.4808, -2.2426),
        Styles = ["neo-traditional"],
        Rating = 4.5,
        ReviewCount = 10,
    };

    [Fact]
    public async Task Each_operation_is_an_index_action_with_its_external_version_and_a_delete_writes_a_tombstone()
    {
        search.Respond(HttpStatusCode.OK, Items(Item(201, "created"), Item(201, "created")));

        var applied = await search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 3)), new IndexOperation.Delete("artist-0002", 7)], Ct);

        Assert.Equal(2, applied);
        Assert.Equal("PUT /artists", search.SentLine(0));
        var (request, body) = search.Request(1);
        Assert.Equal("POST /artists/_bulk", search.SentLine(1));
        Assert.Equal("application/x-ndjson", request.Content!.Headers.ContentType!.MediaType);
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var lines = body.TrimEnd('\n').Split('\n').Select(line => JsonNode.Parse(line)).ToArray();
        Assert.Equal(4, lines.Length);
        AssertJson("""{"index":{"_id":"artist-0001","version":3,"version_type":"external"}}""", lines[0]);
        AssertJson("""
            {"artistId":"artist-0001","version":3,"name":"Rosa Thorn","studioId":null,"studioName":null,"city":"Manchester",
             "locationDisplay":"Ancoats, Manchester","geo":{"lat":53.4808,"lon":-2.2426},"styles":["neo-traditional"],"bio":"",
             "instagramHandle":null,"avatarUrl":null,"thumbnails":[],"rating":4.5,"reviewCount":10,"optedOut":false,
             "live":true,"stylesText":"neo-traditional Neo-Traditional NeoTraditional"}
            """, lines[1]);
        AssertJson("""{"index":{"_id":"artist-0002","version":7,"version_type":"external"}}""", lines[2]);
        AssertJson("""{"artistId":"artist-0002","version":7,"live":false}""", lines[3]);
    }

    [Fact]
    public async Task A_version_conflict_on_an_item_is_a_stale_operation_not_an_error()
    {
        search.Respond(HttpStatusCode.OK, Items(
            Item(201, "created"),
            """
            {"index":{"_index":"artists","_id":"artist-0001","status":409,"error":{"type":"version_conflict_engine_exception",
              "reason":"[artist-0001]: version conflict, current version [3] is higher or equal to the one provided [2]","index":"artists","shard":"0","index_uuid":"UZdzhOjDQvGihxfS-m_UFA"}}}
            """,
            Item(200, "updated")));

        var applied = await search.Index.ApplyAsync(
            [new IndexOperation.Upsert(Artist("artist-0001", 3)), new IndexOperation.Upsert(Artist("artist-0001", 2)), new IndexOperation.Delete("artist-0001", 4)], Ct);

        Assert.Equal(2, applied);
    }

    [Fact]
    public async Task Items_rejected_under_load_are_sent_again_alone_after_a_backoff()
    {
        search.Respond(HttpStatusCode.OK, Items(
                Item(201, "created"),
                """{"index":{"_index":"artists","_id":"artist-0002","status":429,"error":{"type":"rejected_execution_exception","reason":"rejected execution of coordinating operation"}}}"""))
            .Respond(HttpStatusCode.OK, Items(Item(201, "created")));

        var applied = await search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1)), new IndexOperation.Upsert(Artist("artist-0002", 1))], Ct);

        Assert.Equal(2, applied);
        var retried = search.Request(2).Body.TrimEnd('\n').Split('\n');
        Assert.Equal(2, retried.Length);
        Assert.Equal("artist-0002", JsonNode.Parse(retried[0])!["index"]!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Items_still_rejected_after_the_last_attempt_fail_the_batch()
    {
        using var patient = new CannedOpenSearch(maxAttempts: 2).RespondIndexCreated();
        const string rejected = """{"index":{"_index":"artists","_id":"artist-0001","status":429,"error":{"type":"rejected_execution_exception","reason":"rejected"}}}""";
        patient.Respond(HttpStatusCode.OK, Items(rejected)).Respond(HttpStatusCode.OK, Items(rejected));

        var failure = await Assert.ThrowsAsync<OpenSearchException>(() => patient.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1))], Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.Status);
        Assert.Equal(3, patient.Http.Requests.Count);
    }

    [Fact]
    public async Task An_item_failing_for_another_reason_fails_the_batch_without_quoting_the_document()
    {
        search.Respond(HttpStatusCode.OK, Items(
            Item(201, "created"),
            """
            {"index":{"_index":"artists","_id":"artist-0002","status":400,"error":{"type":"mapper_parsing_exception",
              "reason":"failed to parse field [name] of type [text] in document with id 'artist-0002'. Preview of field's value: 'Rosa Thorn'"}}}
            """));

        var failure = await Assert.ThrowsAsync<OpenSearchException>(() =>
            search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1)), new IndexOperation.Upsert(Artist("artist-0002", 1))], Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "mapper_parsing_exception"), (failure.Status, failure.ErrorType));
        Assert.DoesNotContain("Rosa", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_batch_is_split_into_requests_of_at_most_a_thousand_operations_in_order()
    {
        var operations = Enumerable.Range(0, 2_500).Select(i => new IndexOperation.Upsert(Artist($"artist-{i:0000}", 1))).ToArray();
        foreach (var size in new[] { 1_000, 1_000, 500 })
        {
            search.Respond(HttpStatusCode.OK, Items([.. Enumerable.Repeat(Item(201, "created"), size)]));
        }

        var applied = await search.Index.ApplyAsync(operations, Ct);

        Assert.Equal(2_500, applied);
        var sentIds = search.Http.Requests.Skip(1)
            .SelectMany(r => r.Body.TrimEnd('\n').Split('\n').Where((_, line) => line % 2 == 0))
            .Select(line => JsonNode.Parse(line)!["index"]!["_id"]!.GetValue<string>());
        Assert.Equal(operations.Select(o => o.ArtistId), sentIds);
    }

    [Fact]
    public async Task Only_the_first_write_ensures_the_index_exists()
    {
        search.Respond(HttpStatusCode.OK, Items(Item(201, "created"))).Respond(HttpStatusCode.OK, Items(Item(200, "updated")));

        await search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1))], Ct);
        await search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 2))], Ct);

        Assert.Equal(["PUT /artists", "POST /artists/_bulk", "POST /artists/_bulk"], search.Http.Requests.Select((_, i) => search.SentLine(i)));
    }

    [Fact]
    public async Task A_bad_operation_sends_nothing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1)), new IndexOperation.Delete("", 2)], Ct));

        Assert.Empty(search.Http.Requests);
    }

    [Fact]
    public async Task A_refused_bulk_request_fails_with_its_error_type()
    {
        search.Respond(HttpStatusCode.RequestEntityTooLarge, """{"Message":"Request size exceeded 10485760 bytes"}""");

        var failure = await Assert.ThrowsAsync<OpenSearchException>(() => search.Index.ApplyAsync([new IndexOperation.Upsert(Artist("artist-0001", 1))], Ct));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, failure.Status);
    }

    private static string Item(int status, string result) =>
        $$$"""{"index":{"_index":"artists","_id":"x","_version":1,"result":"{{{result}}}","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1,"status":{{{status}}}}}""";

    private static string Items(params string[] items)
    {
        var errors = items.Any(i => i.Contains("\"error\"", StringComparison.Ordinal)) ? "true" : "false";
        return $$$"""{"took":30,"errors":{{{errors}}},"items":[{{{string.Join(',', items)}}}]}""";
    }

    public void Dispose() => search.Dispose();
}
