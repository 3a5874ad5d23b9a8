using System.Net;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

public sealed class AdminSignInTests
{
    private static readonly Dictionary<string, string> WithToken = new() { ["Admin:Token"] = OperatorClient.Token };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Signing_in_with_the_operator_token_sets_a_strict_cookie_for_the_admin_pages_and_the_overview_renders()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);

        using var signIn = await client.SignInAsync();

        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal("/admin", signIn.Headers.Location!.AbsolutePath);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(OperatorClient.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        using var overview = await client.SendAsync(HttpMethod.Get, "/admin");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.True(overview.Headers.CacheControl?.NoStore);
        var (_, page) = await client.GetPageAsync("/admin");
        Assert.Equal("Operator dashboard", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Overview", page.QuerySelector("nav[aria-label=Operator] a[aria-current=page]")!.TextContent);
        Assert.Equal(["/admin", "/admin/removals", "/admin/notifications", "/admin/sync", "/admin/runs", "/admin/queues", "/admin/alarms"], page.QuerySelectorAll("nav[aria-label=Operator] a").Select(a => a.GetAttribute("href")));
        Assert.Equal("0 changes", page.QuerySelector("dd[data-fact=behind]")!.TextContent);
        Assert.NotNull(page.QuerySelector("form.sign-out[action='/admin/sign-out'] input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_401_the_form_again_and_no_cookie()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);

        using var refused = await client.SignInAsync("not-the-operator-token-at-all");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Null(client.AdminCookie);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("That is not the operator token.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-operator-token-at-all", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_survives_a_restart_and_ends_when_the_token_changes()
    {
        using var data = new TempDirectory();
        string cookie;
        await using (var first = await DirectoryHost.StartAsync(seed: false, settings: WithToken, data: data))
        {
            using var client = new OperatorClient(first);
            using var signIn = await client.SignInAsync();
            cookie = client.AdminCookie!;
        }

        await using (var restarted = await DirectoryHost.StartAsync(seed: false, settings: WithToken, data: data))
        {
            using var client = new OperatorClient(restarted) { AdminCookie = cookie };
            using var overview = await client.SendAsync(HttpMethod.Get, "/admin");
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        }

        await using var rotated = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = "a-new-operator-token-after-rotation" }, data: data);
        using (var client = new OperatorClient(rotated) { AdminCookie = cookie })
        {
            using var refused = await client.SendAsync(HttpMethod.Get, "/admin");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            // The stale cookie is deleted, not just ignored.
            Assert.Null(client.AdminCookie);
        }
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_while_the_form_stays_available()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string>(WithToken) { ["Admin:SignInAttemptsPerMinute"] = "3" });
        using var client = new OperatorClient(host);

        for (var i = 0; i < 3; i++)
        {
            using var refused = await client.SignInAsync("guess-number-" + i + "-of-many");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var limited = await client.SignInAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Null(client.AdminCookie);
        var (status, _) = await client.GetPageAsync("/admin/sign-in");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("https://evil.example/admin")]
    [InlineData("//evil.example/admin")]
    [InlineData("/\\evil.example/admin")]
    [InlineData("/\t/evil.example/admin")]
    [InlineData("javascript:alert(1)")]
    public async Task A_return_address_off_this_site_sends_the_operator_to_the_overview_instead(string returnUrl)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);

        using var signIn = await client.SignInAsync(url: "/admin/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal(host.Client.BaseAddress!.Authority, signIn.Headers.Location!.Authority);
        Assert.Equal("/admin", signIn.Headers.Location.AbsolutePath);
    }

    [Fact]
    public async Task After_signing_in_from_a_protected_page_the_operator_lands_back_on_it()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);

        using var signIn = await client.SignInAsync(url: "/admin/sync?view=letters");

        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal("/admin/sync?view=letters", signIn.Headers.Location!.PathAndQuery);
        var (status, page) = await client.GetPageAsync("/admin/sync?view=letters");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Search index sync", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Signing_out_needs_the_form_token_and_then_ends_the_session()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);
        using (await client.SignInAsync()) { }

        using (var forged = await client.SendAsync(HttpMethod.Post, "/admin/sign-out", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        var cookie = client.AdminCookie;
        var (_, page) = await client.GetPageAsync("/admin");
        using var signOut = await client.SubmitAsync(page, "form.sign-out");

        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        Assert.Equal("/admin/sign-in", signOut.Headers.Location!.OriginalString);
        Assert.Null(client.AdminCookie);
        var (status, _) = await client.GetPageAsync("/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(cookie);
    }

    [Fact]
    public async Task The_sync_page_starts_a_reindex_from_its_form()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: WithToken);
        using var client = new OperatorClient(host);
        using (await client.SignInAsync()) { }
        var (_, page) = await client.GetPageAsync("/admin/sync");

        using var started = await client.SubmitAsync(page, "form[action='/admin/sync']");

        Assert.Equal(HttpStatusCode.Found, started.StatusCode);
        await host.Service<TattooDirectory.Features.Sync.ReindexRunner>().WaitAsync();
        var (_, after) = await client.GetPageAsync("/admin/sync");
        Assert.Contains("Last run rebuilt 0 artists", after.QuerySelector("dl.admin-facts")!.TextContent, StringComparison.Ordinal);
    }
}
