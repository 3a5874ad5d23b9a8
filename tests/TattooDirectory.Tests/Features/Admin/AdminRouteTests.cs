using System.Net;
using TattooDirectory.Tests.Security;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>
/// Every admin route in the app, found in its endpoint data source (so routes added later are
/// covered without touching this test), refuses every way of asking without the right credential
/// for its kind: the bearer token for /v1/admin, the sign-in cookie for /admin.
/// </summary>
public sealed class AdminRouteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The only admin addresses open to everyone: the sign-in form and its post.
    private static readonly HashSet<string> Open = ["GET /admin/sign-in", "HEAD /admin/sign-in", "POST /admin/sign-in"];

    [Fact]
    public async Task Every_admin_route_refuses_missing_wrong_and_misplaced_credentials()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);
        using (var signIn = await client.SignInAsync()) Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var cookie = client.AdminCookie!;

        var routes = AppRoutes.Of(host).Where(r => r.IsAdmin).ToList();
        var keys = routes.Select(r => r.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "GET /v1/admin/sync", "POST /v1/admin/reindex", "GET /admin", "POST /admin", "GET /admin/sync", "POST /admin/sign-out" }, keys);
        Assert.Subset(keys, Open);

        var failures = new List<string>();
        foreach (var route in routes.Where(r => !Open.Contains(r.Key)))
        {
            var api = route.Path.StartsWith("/v1/", StringComparison.Ordinal);
            var attempts = new (string Name, string? Authorization, bool Cookie, HttpStatusCode Expected)[]
            {
                ("no credentials", null, false, HttpStatusCode.Unauthorized),
                ("a wrong bearer token", "Bearer wrong-token-wrong-token", false, api ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized),
                ("the Basic scheme", "Basic " + Convert.ToBase64String("operator:"u8.ToArray()), false, HttpStatusCode.Unauthorized),
                // Each kind of route takes only its own credential.
                (api ? "the sign-in cookie" : "the right bearer token", api ? null : "Bearer " + OperatorClient.Token, api, HttpStatusCode.Unauthorized),
            };
            foreach (var attempt in attempts)
            {
                client.AdminCookie = attempt.Cookie ? cookie : null;
                using var response = await client.SendAsync(route.Method, route.Path, route.Method == HttpMethod.Post ? new FormUrlEncodedContent([]) : null, attempt.Authorization);
                var body = await response.Content.ReadAsStringAsync(Ct);
                var type = response.Content.Headers.ContentType?.MediaType;
                var described = route.Method == HttpMethod.Head || (api ? type == "application/problem+json" : type == "text/html" && (response.StatusCode != HttpStatusCode.Unauthorized || body.Contains("class=\"admin-form\"", StringComparison.Ordinal)));
                if (response.StatusCode != attempt.Expected || !described || response.Headers.CacheControl?.NoStore != true)
                {
                    failures.Add($"{route.Key} ({route.Path}) with {attempt.Name}: {(int)response.StatusCode} {type}, expected {(int)attempt.Expected}");
                }
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_api_says_how_to_authenticate_and_a_page_answers_with_the_sign_in_form()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);

        using var api = await client.SendAsync(HttpMethod.Get, "/v1/admin/sync");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);

        var (status, page) = await client.GetPageAsync("/admin/sync?tab=letters");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Operator sign-in", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("/admin/sign-in?returnUrl=%2Fadmin%2Fsync%3Ftab%3Dletters", page.QuerySelector("form.admin-form")!.GetAttribute("action"));
        Assert.NotNull(page.QuerySelector("form.admin-form input[type=password][name=token]"));
        Assert.NotNull(page.QuerySelector("form.admin-form input[name=__RequestVerificationToken]"));
        // Nothing of the operator pages shows before signing in.
        Assert.Empty(page.QuerySelectorAll("nav[aria-label=Operator], form.sign-out"));
    }
}
