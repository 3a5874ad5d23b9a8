using System.Globalization;
using System.Net;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>
/// R4, server-side request forgery: no connection is ever attempted to a loopback, private,
/// link-local or metadata address unless its host:port is allow-listed, whether the address comes
/// from DNS, from the URL or from a redirect. The site's own loopback port is allow-listed; another
/// loopback port stands in for "inside, not allow-listed".
/// </summary>
public sealed class AddressGuardTests : IAsyncLifetime
{
    private LoopbackSite _site = null!;
    private LoopbackSite _inside = null!;

    public async ValueTask InitializeAsync()
    {
        _site = await LoopbackSite.StartAsync();
        _inside = await LoopbackSite.StartAsync();
        _site.Serve("/page", Canned.Html());
        _inside.Serve("/page", Canned.Html("<p>internal admin</p>"));
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await _inside.DisposeAsync();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("172.20.1.1")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:0a00:0001::1")]
    public async Task A_name_resolving_to_a_forbidden_address_is_refused_before_any_connection(string address)
    {
        await using var rig = new FetchRig([], OpenPort(_inside));
        rig.Network.Map("studio.test", address);

        var result = await rig.GetAsync(_inside.Named("studio.test", "/page"));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.False(result.Retryable);
        Assert.Equal("Forbidden address", result.Reason);
        Assert.Contains("studio.test", rig.Network.Resolved);
        Assert.Empty(rig.Network.Attempts);
        Assert.Empty(_inside.Paths);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.5/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[::ffff:192.168.0.1]/")]
    [InlineData("http://[::1]/")]
    public async Task An_address_written_in_the_url_is_judged_without_asking_dns(string url)
    {
        await using var rig = new FetchRig([]);

        var result = await rig.GetAsync(new Uri(url));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Empty(rig.Network.Resolved);
        Assert.Empty(rig.Network.Attempts);
    }

    [Fact]
    public async Task A_loopback_port_that_is_not_allow_listed_is_refused_even_though_it_answers()
    {
        await using var rig = new FetchRig(_site, OpenPort(_inside));

        var result = await rig.GetAsync(_inside.Url("/page"));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Empty(rig.Network.Attempts);
        Assert.Empty(_inside.Paths);
    }

    [Fact]
    public async Task An_allow_listed_loopback_site_is_fetched_on_the_address_that_was_checked()
    {
        await using var rig = new FetchRig(_site);
        rig.Network.Map("studio.test", "127.0.0.1");

        var result = await rig.GetAsync(_site.Named("studio.test", "/page"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(200, result.Status);
        Assert.Equal("text/html", result.ContentType);
        Assert.Equal("utf-8", result.Charset);
        Assert.Equal("<html><body>Studio</body></html>", System.Text.Encoding.UTF8.GetString(result.Body.Span));
        // robots.txt then the page, over one kept-alive connection to exactly the resolved address.
        Assert.Equal(["/robots.txt", "/page"], _site.Paths);
        Assert.All(rig.Network.Attempts, e => Assert.Equal(new IPEndPoint(IPAddress.Loopback, _site.Port), e));
        Assert.Single(rig.Network.Resolved.Distinct());
    }

    [Fact]
    public async Task A_name_with_one_allowed_and_one_private_answer_is_refused_whole()
    {
        await using var rig = new FetchRig(_site, OpenPort(_site));
        rig.Network.Map("studio.test", "127.0.0.1", "10.0.0.1");

        var result = await rig.GetAsync(_site.Named("studio.test", "/page"));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Empty(rig.Network.Attempts);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://10.0.0.5/")]
    [InlineData("http://intranet.test/")]
    [InlineData("http://[fd00::5]/")]
    public async Task A_redirect_from_an_allowed_site_into_a_forbidden_address_is_not_followed(string target)
    {
        await using var rig = new FetchRig(_site);
        rig.Network.Map("intranet.test", "10.1.2.3");

        var result = await rig.GetAsync(_site.RedirectTo(target));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Equal(1, result.Redirects);
        Assert.Equal(new Uri(target), result.FinalUrl);
        Assert.NotEmpty(rig.Network.Attempts);
        Assert.All(rig.Network.Attempts, e => Assert.Equal(_site.Port, e.Port));
        Assert.Empty(rig.Network.OffLoopbackAttempts);
    }

    [Fact]
    public async Task A_redirect_to_another_loopback_port_is_refused()
    {
        await using var rig = new FetchRig(_site, OpenPort(_inside));

        var result = await rig.GetAsync(_site.RedirectTo(_inside.Url("/page").ToString()));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Empty(_inside.Paths);
        Assert.DoesNotContain(rig.Network.Attempts, e => e.Port == _inside.Port);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.test/portfolio.zip")]
    [InlineData("gopher://files.test:70/")]
    [InlineData("http://files.test:22/")]
    [InlineData("http://files.test:6379/")]
    public async Task Only_http_and_https_on_their_ports_are_followed(string target)
    {
        await using var rig = new FetchRig(_site);
        rig.Network.Map("files.test", "203.0.113.10");

        var result = await rig.GetAsync(_site.RedirectTo(target));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.DoesNotContain("files.test", rig.Network.Resolved);
        Assert.Empty(rig.Network.OffLoopbackAttempts);
    }

    [Fact]
    public async Task A_public_address_passes_the_guard_and_only_the_test_hook_stops_it()
    {
        await using var rig = new FetchRig([]);
        rig.Network.Map("public.test", "203.0.113.10");

        var result = await rig.GetAsync(new Uri("http://public.test/page"));

        // The guard let it through; the recording hook refused it, which the fetcher reports as a network failure.
        Assert.Equal(FetchFailure.Network, result.Failure);
        Assert.True(result.Retryable);
        Assert.Equal("robots.txt: ConnectionRefused", result.Detail);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("203.0.113.10"), 80)], rig.Network.Attempts);
    }

    [Fact]
    public async Task An_address_on_the_configured_deny_list_is_refused()
    {
        await using var rig = new FetchRig([], new Dictionary<string, string?> { ["DeniedNetworks:0"] = "203.0.113.0/24" });
        rig.Network.Map("public.test", "203.0.113.10");

        var result = await rig.GetAsync(new Uri("http://public.test/page"));

        Assert.Equal(FetchFailure.ForbiddenAddress, result.Failure);
        Assert.Empty(rig.Network.Attempts);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_retryable_network_failure()
    {
        await using var rig = new FetchRig([]);

        var result = await rig.GetAsync(new Uri("http://nowhere.test/"));

        Assert.Equal(FetchFailure.Network, result.Failure);
        Assert.True(result.Retryable);
        Assert.Empty(rig.Network.Attempts);
    }

    /// <summary>Opens a test site's port to public sites, so that the address, and nothing else, is what the guard judges.</summary>
    private static Dictionary<string, string?> OpenPort(LoopbackSite site) =>
        new() { ["AllowedPorts:0"] = site.Port.ToString(CultureInfo.InvariantCulture) };

    [Fact]
    public async Task Every_request_says_who_we_are_and_how_to_reach_us()
    {
        await using var rig = new FetchRig(_site);

        var result = await rig.GetAsync(_site.Url("/ua"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal($"TattooDirectoryBot/1.0 (+{FetchRig.ContactUrl})", rig.Fetcher.UserAgent);
        Assert.All(_site.UserAgents, ua => Assert.Equal(rig.Fetcher.UserAgent, ua));
    }
}
