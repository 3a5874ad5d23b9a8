using System.Globalization;
using System.IO.Compression;
using System.Text;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>R4, hostile sites: every fetch ends, with a typed reason, holding at most its cap in memory.</summary>
public sealed class FetchLimitsTests : IAsyncLifetime
{
    private const int TwoMiB = 2 * 1024 * 1024;

    // Read-ahead buffers and the bounded drain of an abandoned response (64 KiB), with room to spare.
    private const int Slack = 512 * 1024;

    private LoopbackSite _site = null!;
    private FetchRig _rig = null!;

    public async ValueTask InitializeAsync()
    {
        _site = await LoopbackSite.StartAsync();
        _rig = new FetchRig(_site);
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task Five_redirects_are_followed_to_the_page()
    {
        var result = await _rig.GetAsync(_site.Url("/hops/5"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(5, result.Redirects);
        Assert.Equal(_site.Url("/hops/0"), result.FinalUrl);
        Assert.Equal(_site.Url("/hops/5"), result.Url);
    }

    [Fact]
    public async Task A_sixth_redirect_is_not_followed()
    {
        var result = await _rig.GetAsync(_site.Url("/hops/6"));

        Assert.Equal(FetchFailure.TooManyRedirects, result.Failure);
        Assert.False(result.Retryable);
        Assert.Equal(0, _site.Count("/hops/0"));
    }

    [Fact]
    public async Task A_redirect_loop_ends_after_the_redirect_limit()
    {
        var result = await _rig.GetAsync(_site.Url("/loop/a"));

        Assert.Equal(FetchFailure.TooManyRedirects, result.Failure);
        Assert.Equal("Too many redirects", result.Reason);
        Assert.Equal(6, _site.Paths.Count(p => p.StartsWith("/loop/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_relative_redirect_is_resolved_against_the_current_url()
    {
        _site.Serve("/old/profile", Canned.Redirect("../new/profile#portfolio", 301));
        _site.Serve("/new/profile", Canned.Html());

        var result = await _rig.GetAsync(_site.Url("/old/profile"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(_site.Url("/new/profile"), result.FinalUrl);
    }

    [Fact]
    public async Task An_endless_body_stops_at_the_cap_and_the_connection_is_dropped()
    {
        var result = await _rig.GetAsync(_site.Url("/endless"));

        Assert.Equal(FetchFailure.TooLarge, result.Failure);
        Assert.False(result.Retryable);
        Assert.True(result.Body.IsEmpty);
        // The fetcher took in the cap plus what was already in flight, then hung up.
        Assert.InRange(_rig.Network.BytesReceived, TwoMiB, TwoMiB + Slack);
        await _site.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_the_body_is_read()
    {
        var result = await _rig.GetAsync(_site.Url("/huge-declared"));

        Assert.Equal(FetchFailure.TooLarge, result.Failure);
        Assert.InRange(_rig.Network.BytesReceived, 0, Slack);
        await _site.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_gzip_bomb_is_cut_off_at_the_cap_on_the_decompressed_bytes()
    {
        var result = await _rig.GetAsync(_site.Url("/bomb/gzip"));

        Assert.Equal(FetchFailure.TooLarge, result.Failure);
        Assert.Contains(TwoMiB.ToString(CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
        Assert.InRange(_rig.Network.BytesReceived, 0, Slack);
    }

    [Fact]
    public async Task A_brotli_bomb_served_as_an_image_is_cut_off_at_the_image_cap()
    {
        var result = await _rig.GetAsync(_site.Url("/bomb/br"), FetchKind.Image);

        Assert.Equal(FetchFailure.TooLarge, result.Failure);
        Assert.Contains((15 * 1024 * 1024).ToString(CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compressed_page_under_the_cap_arrives_decompressed()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<p>Fine line work.</p>", 500)) + "</body></html>";
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(html));
        _site.Serve("/compressed", new Canned(200, "text/html", compressed.ToArray(), new Dictionary<string, string> { ["Content-Encoding"] = "gzip" }));

        var result = await _rig.GetAsync(_site.Url("/compressed"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(html, Encoding.UTF8.GetString(result.Body.Span));
    }

    [Theory]
    [InlineData(FetchKind.Html, "image/png")]
    [InlineData(FetchKind.Html, "application/octet-stream")]
    [InlineData(FetchKind.Image, "text/html")]
    [InlineData(FetchKind.Image, "image/svg+xml")]
    [InlineData(FetchKind.Json, "text/html")]
    [InlineData(FetchKind.Html, null)]
    public async Task A_response_of_the_wrong_content_type_is_refused(FetchKind kind, string? contentType)
    {
        _site.Serve("/thing", new Canned(200, contentType, [1, 2, 3]));

        var result = await _rig.GetAsync(_site.Url("/thing"), kind);

        Assert.Equal(FetchFailure.WrongContentType, result.Failure);
        Assert.False(result.Retryable);
        Assert.Equal(200, result.Status);
        Assert.True(result.Body.IsEmpty);
    }

    [Theory]
    [InlineData(FetchKind.Html, "application/xhtml+xml")]
    [InlineData(FetchKind.Image, "image/webp")]
    [InlineData(FetchKind.Image, "IMAGE/JPEG")]
    [InlineData(FetchKind.Json, "application/json; charset=utf-8")]
    [InlineData(FetchKind.Json, "application/ld+json")]
    public async Task A_response_of_an_accepted_content_type_is_returned(FetchKind kind, string contentType)
    {
        _site.Serve("/thing", new Canned(200, contentType, [1, 2, 3]));

        var result = await _rig.GetAsync(_site.Url("/thing"), kind);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal([1, 2, 3], result.Body.ToArray());
    }

    [Fact]
    public async Task A_body_that_trickles_and_stalls_times_out_and_may_be_retried()
    {
        var fetch = _rig.GetAsync(_site.Url("/stall-body"));
        await _site.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        _rig.Clock.Advance(TimeSpan.FromSeconds(31));
        var result = await fetch;

        Assert.Equal(FetchFailure.Timeout, result.Failure);
        Assert.True(result.Retryable);
        await _site.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        var fetch = _rig.GetAsync(_site.Url("/stall-headers"));
        await _site.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        _rig.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(fetch.IsCompleted);
        _rig.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(FetchFailure.Timeout, (await fetch).Failure);
    }

    [Theory]
    [InlineData(404, null, false, null)]
    [InlineData(410, null, false, null)]
    [InlineData(403, null, false, null)]
    [InlineData(500, null, true, null)]
    [InlineData(503, "60", true, 60)]
    [InlineData(429, "120", true, 120)]
    [InlineData(429, null, false, null)]
    public async Task An_error_status_is_reported_with_whether_it_is_worth_retrying(int status, string? retryAfter, bool retryable, int? retryAfterSeconds)
    {
        _site.Serve("/status", Canned.Error(status, retryAfter));

        var result = await _rig.GetAsync(_site.Url("/status"));

        Assert.Equal(FetchFailure.HttpStatus, result.Failure);
        Assert.Equal($"Http {status}", result.Reason);
        Assert.Equal(status, result.Status);
        Assert.Equal(retryable, result.Retryable);
        Assert.Equal(retryAfterSeconds, (int?)result.RetryAfter?.TotalSeconds);
    }

    [Fact]
    public async Task A_redirect_without_a_location_is_a_permanent_failure()
    {
        _site.Serve("/nowhere", Canned.Error(302));

        var result = await _rig.GetAsync(_site.Url("/nowhere"));

        Assert.Equal((FetchFailure.HttpStatus, 302, false), (result.Failure!.Value, result.Status!.Value, result.Retryable));
    }

    [Fact]
    public async Task A_site_that_refuses_connections_is_a_retryable_network_failure()
    {
        var closed = await LoopbackSite.StartAsync();
        var (url, hostPort) = (closed.Url("/page"), closed.HostPort);
        await closed.DisposeAsync();
        await using var rig = new FetchRig([], new Dictionary<string, string?> { ["AllowedHosts:0"] = hostPort });

        var result = await rig.GetAsync(url);

        Assert.Equal(FetchFailure.Network, result.Failure);
        Assert.True(result.Retryable);
    }
}
