using Microsoft.Playwright;
using TattooDirectory.Tests.Browser;
using TattooDirectory.Tests.Features.Admin;

namespace TattooDirectory.Tests.Features.Metrics;

/// <summary>An operator opens the dashboard in a real browser after some traffic and sees every chart drawn, live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_operator_sees_every_chart_populated_and_the_page_refreshes_itself()
    {
        await using var tab = await browser.OpenTabAsync();
        // A host of its own on a fake clock, so its history has samples without waiting.
        var (host, _) = await MetricsHistoryTests.SampledHostAsync();
        await using var _host = host;
        var site = host.Client.BaseAddress!.ToString().TrimEnd('/');

        await SignInAsync(tab, $"{site}/admin?window=15m");

        foreach (var chart in new[] { "chart-requests", "chart-latency", "chart-sync-lag", "chart-queue-scrape", "chart-removals" })
        {
            var line = tab.Page.Locator($"#{chart} svg path.chart-line").First;
            await tab.ExpectAsync(() => Assertions.Expect(line).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex("^M[0-9.]+,[0-9.]+")), $"{chart} drawn");
            var box = await tab.Page.Locator($"#{chart} svg").BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 50 }, $"{chart} is {box?.Width}×{box?.Height}");
        }
        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.Locator("#chart-requests .chart-value").First).Not.ToHaveTextAsync("—"), "the request rate as a number");
        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.Locator("#alarms")).ToContainTextAsync("No alarms."), "the alarms panel");
        // dashboard.js took the page over: it fetches and swaps #dashboard every data-refresh seconds.
        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.Locator("#dashboard")).ToHaveAttributeAsync("data-live", "true"), "live refresh switched on");
        tab.AssertStayedOnLoopback();

        // axe is injected as a script, which the site's CSP rightly refuses: a second tab lets it in.
        await using var audit = await browser.OpenTabAsync(new() { BypassCSP = true });
        await SignInAsync(audit, $"{site}/admin?window=15m");
        await AccessibilityTests.AssertNoViolationsAsync(audit, "/admin dashboard with data");
    }

    private static async Task SignInAsync(BrowserTab tab, string url)
    {
        await tab.GotoAsync(url, expectedStatus: 401);
        await tab.Page.GetByLabel("Operator token").FillAsync(OperatorClient.Token);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Operator dashboard", Level = 1 })).ToBeVisibleAsync(), "the dashboard after signing in");
    }
}
