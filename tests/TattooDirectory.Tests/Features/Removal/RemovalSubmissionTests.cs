using System.Net;
using System.Text;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

/// <summary>One app for the submission checks (none of them depends on another's data).</summary>
public sealed class RemovalApiHost : IAsyncLifetime
{
    public DirectoryHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

public sealed class RemovalSubmissionTests(RemovalApiHost app) : IClassFixture<RemovalApiHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_submission_answers_202_with_the_request_id_and_pending_status_and_is_kept_for_review()
    {
        using var response = await RemovalApi.SubmitAsync(app.Host, RemovalApi.ValidBody());
        var json = await RemovalApi.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["requestId", "status"], json.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^rem-[a-z0-9]{20}$", json.GetProperty("requestId").GetString());
        Assert.Equal("pending", json.GetProperty("status").GetString());

        using var stored = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "/" + json.GetProperty("requestId").GetString());
        var detail = await RemovalApi.ReadJsonAsync(stored);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(("pending", "requester@example.org", "artist-someone1"), (detail.GetProperty("status").GetString(), detail.GetProperty("supplied").GetProperty("email").GetString(), detail.GetProperty("supplied").GetProperty("artistId").GetString()));
        Assert.True(detail.GetProperty("auditVerifies").GetBoolean());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"email":"a@example.org","artistId":"artist-abcd1","requestType":"profile-removal"}""", "fullName" },
        { $$"""{"fullName":"{{new string('n', 101)}}","email":"a@example.org","artistId":"artist-abcd1","requestType":"profile-removal"}""", "fullName" },
        { """{"fullName":"A B","email":"not-an-email","artistId":"artist-abcd1","requestType":"profile-removal"}""", "email" },
        { $$"""{"fullName":"A B","email":"{{new string('a', 243)}}@example.org","artistId":"artist-abcd1","requestType":"profile-removal"}""", "email" },
        { """{"fullName":"A B","email":"a@example.org","requestType":"profile-removal"}""", "artistId" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"ARTIST-1","requestType":"profile-removal"}""", "artistId" },
        { """{"fullName":"A B","email":"a@example.org","instagramHandle":"not a handle!","requestType":"profile-removal"}""", "instagramHandle" },
        { """{"fullName":"A B","email":"a@example.org","profileUrl":"ftp://example.org/artists/artist-abcd1","requestType":"profile-removal"}""", "profileUrl" },
        { """{"fullName":"A B","email":"a@example.org","profileUrl":"/artists/artist-abcd1","requestType":"profile-removal"}""", "profileUrl" },
        { $$"""{"fullName":"A B","email":"a@example.org","profileUrl":"https://example.org/{{new string('p', 290)}}","requestType":"profile-removal"}""", "profileUrl" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1"}""", "requestType" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"delete-everything"}""", "requestType" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"image-removal"}""", "imageIds" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"image-removal","imageIds":["bad id"]}""", "imageIds" },
        { $$"""{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"image-removal","imageIds":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"img-abcd{i}\""))}}]}""", "imageIds" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"image-removal","imageIds":7}""", "imageIds" },
        { """{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"profile-removal","imageIds":["img-abcd1"]}""", "imageIds" },
        { $$"""{"fullName":"A B","email":"a@example.org","artistId":"artist-abcd1","requestType":"profile-removal","details":"{{new string('d', 2001)}}"}""", "details" },
        { "this is not JSON", "body" },
        { """{"fullName":"A B","email":""", "email" },
        { """[1,2,3]""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_submission_answers_400_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Host.Client.PostAsync("/v1/removal-requests", content, Ct);
        var json = await RemovalApi.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(json.GetProperty("errors").TryGetProperty(field, out _), $"errors: {json.GetProperty("errors")}");
    }

    [Fact]
    public async Task A_filled_honeypot_answers_like_an_accepted_request_but_keeps_nothing()
    {
        var id = await RemovalApi.SubmitAcceptedAsync(app.Host, new { fullName = "Bot", email = "bot@example.org", artistId = "artist-botbot1", requestType = "profile-removal", website = "https://spam.example" });

        Assert.Matches("^rem-[a-z0-9]{20}$", id);
        using var lookup = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "/" + id);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        var pending = await RemovalApi.ReadJsonAsync(await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "?status=pending&limit=100"));
        Assert.DoesNotContain(pending.GetProperty("items").EnumerateArray(), i => i.GetProperty("requestId").GetString() == id);
    }

    [Fact]
    public async Task A_body_over_16_KiB_answers_413_whether_or_not_its_length_is_announced()
    {
        var big = JsonSerializer.Serialize(new { fullName = "A B", email = "a@example.org", artistId = "artist-abcd1", requestType = "profile-removal", details = new string('x', 17 * 1024) });

        using var announced = await app.Host.Client.PostAsync("/v1/removal-requests", new StringContent(big, Encoding.UTF8, "application/json"), Ct);
        using var chunked = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var streamed = await app.Host.Client.PostAsync("/v1/removal-requests", chunked, Ct);

        foreach (var response in new[] { announced, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Admin_routes_refuse_a_missing_or_wrong_token()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, ""), (HttpMethod.Get, "/rem-aaaaaaaaaaaaaaaaaaaa"), (HttpMethod.Post, "/rem-aaaaaaaaaaaaaaaaaaaa/approve"), (HttpMethod.Post, "/rem-aaaaaaaaaaaaaaaaaaaa/reject") })
        {
            using var anonymous = await RemovalApi.AdminAsync(app.Host, method, path, token: null);
            using var wrong = await RemovalApi.AdminAsync(app.Host, method, path, body: new { note = "x" }, token: "not-the-operator-token");
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (anonymous.StatusCode, wrong.StatusCode));
        }
    }

    [Fact]
    public async Task Decisions_answer_404_for_an_unknown_request_409_once_decided_and_400_for_an_overlong_note()
    {
        var approved = await RemovalApi.SubmitAcceptedAsync(app.Host, RemovalApi.ValidBody("artist-decide1"));
        var rejected = await RemovalApi.SubmitAcceptedAsync(app.Host, RemovalApi.ValidBody("artist-decide2"));

        using var unknown = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, "/rem-aaaaaaaaaaaaaaaaaaaa/approve", new { note = "ok" });
        using var tooLong = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, $"/{approved}/approve", new { note = new string('n', 1001) });
        using var approve = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, $"/{approved}/approve", new { note = "Verified." });
        using var again = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, $"/{approved}/approve", new { note = "Again." });
        using var late = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, $"/{approved}/reject", new { note = "Too late." });
        using var reject = await RemovalApi.AdminAsync(app.Host, HttpMethod.Post, $"/{rejected}/reject", new { note = "Not verified." });

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Accepted, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.OK],
            new[] { unknown, tooLong, approve, again, late, reject }.Select(r => r.StatusCode));
        var rejectedDetail = await RemovalApi.ReadJsonAsync(reject);
        Assert.Equal(("rejected", "Not verified."), (rejectedDetail.GetProperty("status").GetString(), rejectedDetail.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task The_list_rejects_an_unknown_status_and_a_foreign_cursor()
    {
        using var status = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "?status=sideways");
        using var cursor = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "?cursor=bm90LWEtY3Vyc29y");
        using var limit = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "?limit=0");

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { status, cursor, limit }.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task The_audit_api_lists_where_a_pending_removals_profile_still_shows_and_answers_404_for_an_unknown_request()
    {
        var (artist, _) = await RemovalArtists.AddAsync(app.Host, TestArtists.Make("artist-audited1", "Audited Person", studioId: RemovalArtists.Parlour.StudioId));
        var requestId = await RemovalApi.SubmitAcceptedAsync(app.Host, RemovalApi.ValidBody(artist.ArtistId));

        using var response = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, $"/{requestId}/audit");
        var audit = await RemovalApi.ReadJsonAsync(response);
        using var unknown = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, "/rem-aaaaaaaaaaaaaaaaaaaa/audit");
        using var anonymous = await RemovalApi.AdminAsync(app.Host, HttpMethod.Get, $"/{requestId}/audit", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["requestId", "status", "clean", "traces", "notes"], audit.EnumerateObject().Select(p => p.Name));
        Assert.Equal((requestId, "pending", false), (audit.GetProperty("requestId").GetString(), audit.GetProperty("status").GetString(), audit.GetProperty("clean").GetBoolean()));
        var profile = Assert.Single(audit.GetProperty("traces").EnumerateArray(), t => t.GetProperty("key").GetString() == $"ARTIST#{artist.ArtistId}|PROFILE");
        Assert.Equal("store", profile.GetProperty("location").GetString());
        Assert.Contains("artist id", profile.GetProperty("matchedBy").GetString(), StringComparison.Ordinal);
        Assert.Contains(audit.GetProperty("traces").EnumerateArray(), t => t.GetProperty("location").GetString() == "blobs");
        Assert.Contains("not completed", audit.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Audited Person", audit.ToString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Unauthorized), (unknown.StatusCode, anonymous.StatusCode));
    }

    /// <summary>A body whose length is unknown up front, so it goes chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
