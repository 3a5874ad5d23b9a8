using System.Net;
using TattooDirectory.Core.Caching;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Sync;
using TattooDirectory.Tests.Features.Web;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>
/// Artist and studio profiles (API and pages) come from the output cache for up to 30 s, and a
/// change leaves it as soon as the sync has carried it to the index. "Age" marks a cached answer.
/// </summary>
public sealed class ResponseCacheTests
{
    private const string ArtistId = "artist-cached01";
    private const string StudioId = "studio-cached01";

    private static readonly Studio CacheStudio = new()
    {
        StudioId = StudioId,
        Name = "Cache Street Tattoo",
        Address = "2 Call Lane",
        City = "Leeds",
        Postcode = "LS1 6DT",
        Geo = TestArtists.Leeds,
    };

    private static readonly string[] ProfileUrls = [$"/v1/artists/{ArtistId}", $"/artists/{ArtistId}", $"/v1/studios/{StudioId}", $"/studios/{StudioId}"];

    public static TheoryData<string> Profiles => new(ProfileUrls);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task A_profile_is_served_from_the_cache_the_second_time_with_its_own_request_id(string url)
    {
        await using var host = await StartAsync();

        var (first, firstBody) = await GetAsync(host, url);
        var (second, secondBody) = await GetAsync(host, url, requestId: "second-request-1");

        Assert.Null(first.Age);
        Assert.NotNull(second.Age);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal("second-request-1", second.RequestId);
    }

    [Theory]
    [InlineData("/v1/artists?limit=5", HttpStatusCode.OK)]
    [InlineData("/artists?styles=blackwork", HttpStatusCode.OK)]
    [InlineData("/v1/artists/artist-nobody01", HttpStatusCode.NotFound)]
    [InlineData("/studios/studio-nobody01", HttpStatusCode.NotFound)]
    public async Task Searches_and_answers_other_than_200_are_not_cached(string url, HttpStatusCode status)
    {
        await using var host = await StartAsync();

        await GetAsync(host, url);
        var (second, _) = await GetAsync(host, url);

        Assert.Equal(status, second.Status);
        Assert.Null(second.Age);
    }

    [Fact]
    public async Task A_cached_api_profile_keeps_its_etag_and_revalidates_to_304()
    {
        await using var host = await StartAsync();
        var (first, _) = await GetAsync(host, $"/v1/artists/{ArtistId}");
        var (cached, _) = await GetAsync(host, $"/v1/artists/{ArtistId}");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/artists/{ArtistId}");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.ETag);
        using var revalidated = await host.Client.SendAsync(request, Ct);

        Assert.NotNull(cached.Age);
        Assert.Equal(first.ETag, cached.ETag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task A_head_request_does_not_leave_an_empty_page_for_the_next_get()
    {
        await using var host = await StartAsync();
        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/artists/{ArtistId}"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        var (_, body) = await GetAsync(host, $"/artists/{ArtistId}");

        Assert.Contains("Cora Cache", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalidating_an_artist_drops_every_cached_answer_that_shows_them_and_nothing_else()
    {
        await using var host = await StartAsync();
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-bystander1", "Bea Bystander"), [], Ct);
        await CaughtUpAsync(host);
        var urls = ProfileUrls.Append("/artists/artist-bystander1").ToList();
        foreach (var url in urls) await GetAsync(host, url);

        await host.Service<IResponseCacheInvalidator>().InvalidateAsync([ArtistId], [], Ct);

        foreach (var url in urls)
        {
            var (answer, _) = await GetAsync(host, url);
            // The studio answers list the artist, so they go with the artist's own.
            Assert.True(url.EndsWith("bystander1", StringComparison.Ordinal) == answer.Age is not null, $"{url}: Age {answer.Age}");
        }
    }

    [Fact]
    public async Task An_edit_is_never_served_from_the_cache_once_the_sync_has_it()
    {
        await using var host = await StartAsync();
        foreach (var url in ProfileUrls) await GetAsync(host, url);

        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make(ArtistId, "Cora Renamed", studioId: StudioId), [], Ct);
        await CaughtUpAsync(host);

        foreach (var url in ProfileUrls)
        {
            var (answer, body) = await GetAsync(host, url);
            Assert.Null(answer.Age);
            Assert.Contains("Cora Renamed", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_new_artist_appears_on_the_cached_studio_page_once_the_sync_has_them()
    {
        await using var host = await StartAsync();
        await GetAsync(host, $"/studios/{StudioId}");

        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-newcomer1", "Nico Newcomer", studioId: StudioId), [], Ct);
        await CaughtUpAsync(host);

        var (_, body) = await GetAsync(host, $"/studios/{StudioId}");
        Assert.Contains("Nico Newcomer", body, StringComparison.Ordinal);
    }

    private static async Task<DirectoryHost> StartAsync()
    {
        var host = await DirectoryHost.StartAsync(seed: false);
        await host.Service<ArtistCatalog>().PutStudioAsync(CacheStudio, Ct);
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make(ArtistId, "Cora Cache", studioId: StudioId), [], Ct);
        await CaughtUpAsync(host);
        return host;
    }

    /// <summary>Waits until the sync worker reports every change so far as passed (and so its cache evictions as done).</summary>
    private static async Task CaughtUpAsync(DirectoryHost host)
    {
        var latest = await host.Service<IChangeStream>().GetLatestSequenceAsync(Ct);
        var status = host.Service<SyncStatus>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (status.Position < latest) await Task.Delay(10, timeout.Token);
    }

    private static async Task<(Answer Answer, string Body)> GetAsync(DirectoryHost host, string url, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", url.StartsWith("/v1/", StringComparison.Ordinal) ? "application/json" : HtmlPages.BrowserAccept);
        if (requestId is not null) request.Headers.Add("X-Request-Id", requestId);
        using var response = await host.Client.SendAsync(request, Ct);
        var answer = new Answer(response.StatusCode, response.Headers.Age, response.Headers.ETag?.ToString(), response.Headers.GetValues("X-Request-Id").Single());
        return (answer, await response.Content.ReadAsStringAsync(Ct));
    }

    private sealed record Answer(HttpStatusCode Status, TimeSpan? Age, string? ETag, string RequestId);
}
