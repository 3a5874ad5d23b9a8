using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Security;

/// <summary>
/// R7: which routes are rate-limited, read from the endpoint data source, and that each of them
/// answers 429 with Retry-After once its client's allowance is spent (problem+json from the API,
/// the error page to a browser). The per-feature tests (search, removal form and API, sign-in,
/// wrong tokens) show the limits' numbers; this one shows no limited route was left out.
/// </summary>
public sealed class RateLimitCoverageTests
{
    [Fact]
    public async Task The_public_api_removal_requests_and_sign_in_are_rate_limited()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);

        var routes = AppRoutes.Of(host);
        var limited = routes.Where(r => r.Metadata<EnableRateLimitingAttribute>() is not null).Select(r => r.Key).ToHashSet();

        // Every public API route: the search and everything beside it a scraper could walk.
        Assert.Empty(routes.Where(r => r.IsApi && !r.IsAdminApi && !limited.Contains(r.Key)).Select(r => r.Key));
        Assert.Superset(new HashSet<string> { "GET /v1/artists", "GET /v1/artists/{artistId}", "GET /v1/studios", "GET /v1/styles", "POST /v1/removal-requests", "POST /removal/requests", "POST /admin/sign-in" }, limited);
        Assert.Equal(RateLimits.RemovalRequests, routes.Single(r => r.Key == "POST /removal/requests").Metadata<EnableRateLimitingAttribute>()!.PolicyName);
        Assert.Equal(AdminAuth.SignInRateLimit, routes.Single(r => r.Key == "POST /admin/sign-in").Metadata<EnableRateLimitingAttribute>()!.PolicyName);
    }

    [Fact]
    public async Task Every_rate_limited_route_answers_429_with_retry_after_once_the_allowance_is_spent()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string>
        {
            ["RateLimits:SearchPerMinute"] = "1",
            ["RateLimits:RemovalRequestsPerHour"] = "1",
            ["Admin:SignInAttemptsPerMinute"] = "1",
        });
        using var client = new OperatorClient(host);
        // Showing the sign-in form guesses nothing: its policy counts only the attempts (AdminSignInTests).
        var routes = AppRoutes.Of(host)
            .Where(r => r.Metadata<EnableRateLimitingAttribute>() is { } limit && !(limit.PolicyName == AdminAuth.SignInRateLimit && r.Method != HttpMethod.Post))
            .ToList();
        Assert.NotEmpty(routes);

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var reads = route.Method == HttpMethod.Get || route.Method == HttpMethod.Head;
            // The allowance is one request per client and policy: the second ask is over it whatever the first was.
            HttpResponseMessage? response = null;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                response?.Dispose();
                response = await client.SendAsync(route.Method, route.Path, reads ? null : route.IsApi ? JsonContent.Create(new { }) : new FormUrlEncodedContent([]));
            }
            using (response)
            {
                var type = response!.Content.Headers.ContentType?.MediaType;
                var expectedType = route.Method == HttpMethod.Head ? type : route.IsApi ? "application/problem+json" : "text/html";
                var retryAfter = response.Headers.RetryAfter?.Delta;
                if (response.StatusCode != HttpStatusCode.TooManyRequests || retryAfter is not { } wait || wait <= TimeSpan.Zero || type != expectedType)
                {
                    failures.Add($"{route.Key} ({route.Path}): {(int)response.StatusCode} {type}, Retry-After {response.Headers.RetryAfter?.ToString() ?? "(none)"}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
