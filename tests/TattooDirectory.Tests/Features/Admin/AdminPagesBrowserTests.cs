using Microsoft.Playwright;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Browser;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>An operator in a real browser: the sign-in form a protected page answers with, then the pages behind it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_operator_signs_in_from_a_protected_page_lands_on_it_and_every_page_passes_axe()
    {
        await using var tab = await browser.OpenTabAsync(new() { BypassCSP = true });
        // The shared host sets no Admin:Token, so it generated one into its data folder.
        var token = (await File.ReadAllTextAsync(Path.Combine(browser.Host.DataDirectory, AdminToken.FileName), TestContext.Current.CancellationToken)).Trim();

        await tab.GotoAsync("/admin/sync", expectedStatus: 401);
        await AccessibilityTests.AssertNoViolationsAsync(tab, "the sign-in form at /admin/sync");
        await tab.Page.GetByLabel("Operator token").FillAsync(token);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Search index sync", Level = 1 })).ToBeVisibleAsync(), "the sync page after signing in");
        Assert.EndsWith("/admin/sync", tab.Page.Url, StringComparison.Ordinal);
        await AccessibilityTests.AssertNoViolationsAsync(tab, "/admin/sync");

        await tab.GotoAsync("/admin");
        await AccessibilityTests.AssertNoViolationsAsync(tab, "/admin");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await tab.ExpectAsync(() => Assertions.Expect(tab.Page.GetByLabel("Operator token")).ToBeVisibleAsync(), "the sign-in form after signing out");
        tab.AssertStayedOnLoopback();
    }
}
