using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Features.Web;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Security;

/// <summary>
/// R7: the security headers (CSP with frame-ancestors, nosniff, Referrer-Policy, X-Frame-Options,
/// Permissions-Policy) on every answer the app gives: every mapped route (pages, API, admin,
/// static assets, health, the API reference) whoever asks, and the answers no route gives
/// (404, 405, 413, 429, 500). The walk also holds every route to answering a well-formed request
/// without a server error: it found /not-found and an unknown run's page answering 500.
/// </summary>
public sealed class SecurityHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_route_answers_strangers_and_the_operator_with_the_security_headers_and_never_a_server_error()
    {
        await using var host = await DirectoryHost.StartAsync(seed: true, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);
        using (var signIn = await client.SignInAsync()) Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var cookie = client.AdminCookie!;
        var artistId = (await host.GetJsonAsync("/v1/artists?limit=1")).GetProperty("items")[0].GetProperty("artistId").GetString()!;
        var studioId = (await host.GetJsonAsync("/v1/studios")).GetProperty("items")[0].GetProperty("studioId").GetString()!;
        // Real values where a route takes one, so answers are the routes' own and not only their 404s.
        var routes = AppRoutes.Of(host, new Dictionary<string, string>
        {
            ["artistId"] = artistId,
            ["studioId"] = studioId,
            ["styleId"] = "blackwork",
            ["documentName"] = "v1",
            ["name"] = "scrape",
        });
        var keys = routes.Select(r => r.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "GET /", "GET /artists/{ArtistId}", "GET /v1/artists", "GET /v1/admin/sync", "GET /admin", "GET /health", "POST /v1/removal-requests" }, keys);
        Assert.Contains(routes, r => r.Path.EndsWith(".css", StringComparison.Ordinal));

        var failures = new List<string>();
        var statuses = new HashSet<HttpStatusCode>();
        foreach (var route in routes)
        {
            var reads = route.Method == HttpMethod.Get || route.Method == HttpMethod.Head;
            // A write is only sent without credentials (refused before it does anything); a read also as the operator.
            var askers = reads && route.IsAdmin ? new[] { false, true } : [false];
            foreach (var asOperator in askers)
            {
                client.AdminCookie = asOperator && route.IsAdminPage ? cookie : null;
                using var response = await client.SendAsync(route.Method, route.Path, reads ? null : new FormUrlEncodedContent([]),
                    asOperator && route.IsAdminApi ? "Bearer " + OperatorClient.Token : null);
                statuses.Add(response.StatusCode);
                var differences = SecurityHeaderCheck.Differences(response, SecurityHeaderCheck.PolicyFor(route.Path));
                // A route that crashes on a well-formed request is a finding of the walk too.
                if ((int)response.StatusCode >= 500) differences.Add("a server error");
                if (differences.Count > 0) failures.Add($"{route.Key} ({route.Path}{(asOperator ? ", as the operator" : "")}) → {(int)response.StatusCode}: {string.Join("; ", differences)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // The walk met the routes' own answers, not only refusals.
        Assert.Superset(new HashSet<HttpStatusCode> { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound }, statuses);
    }

    [Fact]
    public async Task Answers_that_no_route_gives_carry_the_security_headers()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        var failures = new List<string>();

        async Task Check(string name, HttpRequestMessage request, HttpStatusCode expected)
        {
            using (request)
            {
                using var response = await host.Client.SendAsync(request, Ct);
                if (response.StatusCode != expected) failures.Add($"{name}: {(int)response.StatusCode}, expected {(int)expected}");
                var differences = SecurityHeaderCheck.Differences(response, HttpPolicyTests.Policy);
                if (differences.Count > 0) failures.Add($"{name}: {string.Join("; ", differences)}");
            }
        }

        await Check("an unknown page", Page(HttpMethod.Get, "/no-such-page"), HttpStatusCode.NotFound);
        await Check("an unknown API path", new HttpRequestMessage(HttpMethod.Get, "/v1/no-such-thing"), HttpStatusCode.NotFound);
        await Check("a method the route does not take", new HttpRequestMessage(HttpMethod.Delete, "/v1/artists"), HttpStatusCode.MethodNotAllowed);
        await Check("an invalid query", new HttpRequestMessage(HttpMethod.Get, "/v1/artists?limit=0"), HttpStatusCode.BadRequest);
        await Check("a body over the limit", new HttpRequestMessage(HttpMethod.Post, "/v1/removal-requests") { Content = Json(new string('a', 70 * 1024)) }, HttpStatusCode.RequestEntityTooLarge);
        await Check("a form over the limit", Page(HttpMethod.Post, "/removal", Form(new string('a', 70 * 1024))), HttpStatusCode.RequestEntityTooLarge);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_rate_limited_answer_carries_the_security_headers()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["RateLimits:SearchPerMinute"] = "1" });
        using (var first = await host.Client.GetAsync("/v1/styles", Ct)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var limited = await host.Client.GetAsync("/v1/styles", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        HttpPolicyTests.AssertSecurityHeaders(limited, HttpPolicyTests.Policy);
    }

    [Fact]
    public async Task A_server_error_from_the_api_carries_the_security_headers()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        // A closed store fails every read: the app's own error answer, not a route's.
        host.Service<TattooDirectory.Backends.Local.LocalStores>().Store.Dispose();

        using var response = await host.Client.GetAsync("/v1/studios/studio-inkwell1", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        HttpPolicyTests.AssertSecurityHeaders(response, HttpPolicyTests.Policy);
    }

    private static HttpRequestMessage Page(HttpMethod method, string url, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", HtmlPages.BrowserAccept);
        return request;
    }

    private static ByteArrayContent Json(string details)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"details\":\"{details}\"}}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static ByteArrayContent Form(string details)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("details=" + details));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }
}
