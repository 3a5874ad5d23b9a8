using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>How hard the fetcher leans on a site: concurrency per host and overall, and spacing from Crawl-delay.</summary>
public sealed class PolitenessTests : IAsyncLifetime
{
    private LoopbackSite _site = null!;
    private LoopbackSite _other = null!;

    public async ValueTask InitializeAsync()
    {
        _site = await LoopbackSite.StartAsync();
        _other = await LoopbackSite.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task No_more_than_two_requests_reach_one_host_at_once()
    {
        await using var rig = new FetchRig(_site);

        var fetches = Enumerable.Range(0, 6).Select(i => rig.GetAsync(_site.Url($"/gate/{i}"), FetchKind.Json)).ToList();
        await Until.TrueAsync(() => _site.InFlight == 2 && rig.Fetcher.Politeness.Waiting(_site.Url("/")) == 4, "two requests held at the site and four waiting their turn");
        _site.OpenGate();
        var results = await Task.WhenAll(fetches);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Reason));
        Assert.Equal(2, _site.MaxInFlight);
        Assert.Equal(6, _site.Paths.Count(p => p.StartsWith("/gate/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_global_cap_holds_across_hosts()
    {
        await using var rig = new FetchRig([_site, _other], new Dictionary<string, string?> { ["PerHostConcurrency"] = "1", ["GlobalConcurrency"] = "1" });

        var first = rig.GetAsync(_site.Url("/gate/a"), FetchKind.Json);
        await Until.TrueAsync(() => _site.InFlight == 1, "the first request held at its site");
        var second = rig.GetAsync(_other.Url("/gate/b"), FetchKind.Json);
        await Until.TrueAsync(() => rig.Fetcher.Politeness.WaitingGlobally(_other.Url("/")) == 1, "the request to the other host waiting for a global slot");

        Assert.Equal(0, _other.InFlight);
        _site.OpenGate();
        Assert.True((await first).Succeeded);
        await Until.TrueAsync(() => _other.InFlight == 1, "the second request reaching its site once the first is done");
        _other.OpenGate();
        Assert.True((await second).Succeeded);
    }

    [Fact]
    public async Task A_crawl_delay_spaces_requests_to_that_host()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nCrawl-delay: 20"));
        _site.Serve("/page", Canned.Html());
        await using var rig = new FetchRig(_site);
        Assert.True((await rig.GetAsync(_site.Url("/page"))).Succeeded);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var next = rig.GetAsync(_site.Url("/page"), ct: cancel.Token);
        await Until.TrueAsync(() => rig.Fetcher.Politeness.Waiting(_site.Url("/"), TimeSpan.FromSeconds(20)) == 1, "the second page waiting out the crawl delay");

        Assert.Equal(1, _site.Count("/page"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        Assert.Equal(1, _site.Count("/page"));
    }

    [Fact]
    public async Task Another_host_is_not_held_up_by_a_crawl_delay()
    {
        _site.Serve("/robots.txt", Canned.Text("User-agent: *\nCrawl-delay: 20"));
        _site.Serve("/page", Canned.Html());
        _other.Serve("/page", Canned.Html());
        await using var rig = new FetchRig([_site, _other]);
        Assert.True((await rig.GetAsync(_site.Url("/page"))).Succeeded);

        Assert.True((await rig.GetAsync(_other.Url("/page"))).Succeeded);
        Assert.True((await rig.GetAsync(_other.Url("/page"))).Succeeded);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0.5, 1)]
    [InlineData(5.0, 5)]
    [InlineData(3600.0, 30)]
    public async Task The_host_interval_is_the_larger_of_ours_and_the_crawl_delay_up_to_the_cap(double? crawlDelaySeconds, int expectedSeconds)
    {
        await using var rig = new FetchRig(_site, new Dictionary<string, string?> { ["MinHostInterval"] = "00:00:01", ["MaxCrawlDelay"] = "00:00:30" });

        var interval = rig.Fetcher.Politeness.IntervalFor(crawlDelaySeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), interval);
    }
}
