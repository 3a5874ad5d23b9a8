using System.Net;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Artists;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Searches_beyond_the_per_minute_limit_get_429_with_retry_after()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["RateLimits:SearchPerMinute"] = "3" });
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            using var ok = await host.Client.GetAsync("/v1/artists", ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await host.Client.GetAsync("/v1/artists", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
