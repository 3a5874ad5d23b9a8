using System.Text;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>robots.txt as the fetcher meets it on a live site: status handling, size, redirects and the cache (RFC 9309 §2.3–2.5).</summary>
public sealed class RobotsFetchTests : IAsyncLifetime
{
    private LoopbackSite _site = null!;
    private FetchRig _rig = null!;

    public async ValueTask InitializeAsync()
    {
        _site = await LoopbackSite.StartAsync();
        _site.Serve("/page", Canned.Html());
        _site.Serve("/private/page", Canned.Html());
        _rig = new FetchRig(_site);
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_disallowed_page_is_never_requested_and_not_retried()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /private/"));

        var blocked = await _rig.GetAsync(_site.Url("/private/page"));
        var open = await _rig.GetAsync(_site.Url("/page"));

        Assert.Equal((FetchFailure.DisallowedByRobots, false), (blocked.Failure!.Value, blocked.Retryable));
        Assert.Equal("Disallowed by robots", blocked.Reason);
        Assert.True(open.Succeeded, open.Reason);
        Assert.Equal(0, _site.Count("/private/page"));
    }

    [Fact]
    public async Task A_redirect_into_a_disallowed_path_is_not_followed()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /private/"));
        _site.Serve("/moved", Canned.Redirect("/private/page"));

        var result = await _rig.GetAsync(_site.Url("/moved"));

        Assert.Equal(FetchFailure.DisallowedByRobots, result.Failure);
        Assert.Equal(_site.Url("/private/page"), result.FinalUrl);
        Assert.Equal(0, _site.Count("/private/page"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task An_unreachable_robots_txt_closes_the_site_for_now(int status)
    {
        _site.Serve("/robots.txt", Canned.Error(status));

        var result = await _rig.GetAsync(_site.Url("/page"));

        Assert.Equal(FetchFailure.DisallowedByRobots, result.Failure);
        Assert.True(result.Retryable);
        Assert.Equal(0, _site.Count("/page"));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(403)]
    [InlineData(401)]
    public async Task A_robots_txt_answering_a_client_error_allows_everything(int status)
    {
        _site.Serve("/robots.txt", Canned.Error(status));

        Assert.True((await _rig.GetAsync(_site.Url("/private/page"))).Succeeded);
    }

    [Theory]
    [InlineData("text/plain", "\u0000\u00ff\u0010 not robots at all\n:::\n")]
    [InlineData("text/html", "<html>User-agent: *<br>Disallow: /</html>")]
    public async Task A_garbage_robots_txt_allows_everything(string contentType, string body)
    {
        _site.Serve("/robots.txt", new Canned(200, contentType, Encoding.Latin1.GetBytes(body)));

        Assert.True((await _rig.GetAsync(_site.Url("/private/page"))).Succeeded);
    }

    [Fact]
    public async Task A_huge_robots_txt_is_read_up_to_500_KiB_and_the_rest_ignored()
    {
        var early = "User-agent: *\nDisallow: /private/\n";
        var filler = string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding padding padding\n", 10_000));
        _site.Serve("/robots.txt", Canned.Text(early + filler + "Disallow: /page\n"));

        var late = await _rig.GetAsync(_site.Url("/page"));
        var first = await _rig.GetAsync(_site.Url("/private/page"));

        Assert.True(late.Succeeded, late.Reason);
        Assert.Equal(FetchFailure.DisallowedByRobots, first.Failure);
        var robots = await _rig.GetAsync(_site.Url("/robots.txt"), FetchKind.Robots);
        Assert.True(robots.Truncated);
        Assert.Equal(500 * 1024, robots.Body.Length);
    }

    [Fact]
    public async Task A_robots_txt_behind_a_short_redirect_chain_is_followed()
    {
        _site.Serve("/robots.txt", Canned.Redirect("/rules/robots.txt", 301));
        _site.Serve("/rules/robots.txt", Canned.Text("User-agent: *\nDisallow: /private/"));

        Assert.Equal(FetchFailure.DisallowedByRobots, (await _rig.GetAsync(_site.Url("/private/page"))).Failure);
    }

    [Fact]
    public async Task A_robots_txt_lost_in_too_many_redirects_counts_as_absent()
    {
        _site.Serve("/robots.txt", Canned.Redirect("/hops/9"));

        Assert.True((await _rig.GetAsync(_site.Url("/private/page"))).Succeeded);
    }

    [Fact]
    public async Task A_robots_txt_redirecting_to_a_forbidden_address_is_not_followed_there()
    {
        _site.Serve("/robots.txt", Canned.Redirect("http://169.254.169.254/robots.txt"));

        var result = await _rig.GetAsync(_site.Url("/page"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Empty(_rig.Network.OffLoopbackAttempts);
    }

    [Fact]
    public async Task Robots_txt_is_fetched_once_and_trusted_for_a_day()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /private/"));
        Assert.True((await _rig.GetAsync(_site.Url("/page"))).Succeeded);

        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /page"));
        _rig.Clock.Advance(TimeSpan.FromHours(23));
        Assert.True((await _rig.GetAsync(_site.Url("/page"))).Succeeded);
        Assert.Equal(1, _site.Count("/robots.txt"));

        _rig.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(FetchFailure.DisallowedByRobots, (await _rig.GetAsync(_site.Url("/page"))).Failure);
        Assert.Equal(2, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task An_unreachable_robots_txt_is_asked_again_after_the_retry_interval()
    {
        _site.Serve("/robots.txt", Canned.Error(503));
        Assert.Equal(FetchFailure.DisallowedByRobots, (await _rig.GetAsync(_site.Url("/page"))).Failure);

        _site.Serve("/robots.txt", Canned.Error(404));
        _rig.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(FetchFailure.DisallowedByRobots, (await _rig.GetAsync(_site.Url("/page"))).Failure);

        _rig.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await _rig.GetAsync(_site.Url("/page"))).Succeeded);
        Assert.Equal(2, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task The_robots_cache_forgets_the_sites_it_would_forget_first_when_full()
    {
        await using var rig = new FetchRig(_site, new Dictionary<string, string?> { ["RobotsCacheEntries"] = "3" });
        string[] hosts = ["a.test", "b.test", "c.test", "d.test", "e.test"];
        foreach (var host in hosts)
        {
            rig.Network.Map(host, "127.0.0.1");
            Assert.True((await rig.GetAsync(_site.Named(host, "/page"))).Succeeded);
            rig.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.InRange(rig.Fetcher.Robots.Count, 1, 3);
        Assert.True((await rig.GetAsync(_site.Named("e.test", "/page"))).Succeeded);
        Assert.Equal(5, _site.Count("/robots.txt"));
        Assert.True((await rig.GetAsync(_site.Named("a.test", "/page"))).Succeeded);
        Assert.Equal(6, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task Concurrent_fetches_from_one_site_share_one_robots_download()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /private/"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _rig.GetAsync(_site.Url("/page"))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Reason));
        Assert.Equal(1, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task A_robots_txt_that_never_gets_a_turn_at_its_host_counts_as_unreachable_instead_of_holding_every_page()
    {
        await using var rig = new FetchRig(_site, new Dictionary<string, string?> { ["MinHostInterval"] = "01:00:00", ["MaxCrawlDelay"] = "01:00:00" });
        _site.Serve("/api/studios", Canned.Text("[]", "application/json"));
        // An API call, not governed by robots.txt, takes the host's one turn this hour.
        Assert.True((await rig.GetAsync(_site.Url("/api/studios"), FetchKind.Json)).Succeeded);

        var page = rig.GetAsync(_site.Url("/page"));
        await Until.TrueAsync(() => rig.Fetcher.Politeness.Waiting(_site.Url("/")) == 1, "robots.txt waiting for its turn");
        rig.Clock.Advance(RobotsCache.LoadTimeout);
        var result = await page;

        Assert.Equal((FetchFailure.Timeout, true), (result.Failure, result.Retryable));
        Assert.Equal(0, _site.Count("/robots.txt") + _site.Count("/page"));
    }

    [Fact]
    public async Task An_api_call_is_not_governed_by_robots_txt()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nDisallow: /"));
        _site.Serve("/api/studios", Canned.Text("{\"elements\":[]}", "application/json"));

        var result = await _rig.GetAsync(_site.Url("/api/studios"), FetchKind.Json);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(0, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task Images_obey_robots_txt_like_pages()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: TattooDirectoryBot\nDisallow: /*.png$"));
        _site.Serve("/ink.png", new Canned(200, "image/png", [0x89, 0x50]));

        Assert.Equal(FetchFailure.DisallowedByRobots, (await _rig.GetAsync(_site.Url("/ink.png"), FetchKind.Image)).Failure);
        Assert.Equal(0, _site.Count("/ink.png"));
    }
}
