using Microsoft.Playwright;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Browser;
using static Microsoft.Playwright.Assertions;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>
/// A removal request from a real browser, end to end through the pages: an artist sends the form
/// from their profile (once wrong, once right), then an operator finds it, checks for traces and
/// rejects it. Every page on the way passes axe. Nothing is approved: the seeded directory is shared.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RemovalBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_request_sent_from_a_profile_is_reviewed_and_rejected_through_the_pages_and_every_page_passes_axe()
    {
        await using var tab = await browser.OpenTabAsync(new() { BypassCSP = true });
        var page = tab.Page;

        await tab.GotoAsync(browser.Pages.PathOf("a profile"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Request removal" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await tab.ExpectAsync(() => Expect(summary).ToContainTextAsync("Enter your full name."), "the form sent empty comes back with its errors");
        await AccessibilityTests.AssertNoViolationsAsync(tab, "the removal form with errors");

        await summary.GetByRole(AriaRole.Link, new() { Name = "Enter your full name." }).ClickAsync();
        await tab.ExpectAsync(() => Expect(page.GetByLabel("Your full name")).ToBeFocusedAsync(), "the summary link takes the reader to the field");
        await page.GetByLabel("Your full name").FillAsync("Browser Person");
        await page.GetByLabel("Your email address").FillAsync("browser.person@example.org");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Remove some of my images" }).CheckAsync();
        await page.Locator("ul.image-choices input[type=checkbox]").First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await tab.ExpectAsync(() => Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We have your request", Level = 1 })).ToBeVisibleAsync(), "the confirmation after sending");
        var requestId = (await page.Locator(".reference").InnerTextAsync()).Trim();
        await AccessibilityTests.AssertNoViolationsAsync(tab, "the removal confirmation");

        var token = (await File.ReadAllTextAsync(Path.Combine(browser.Host.DataDirectory, AdminToken.FileName), TestContext.Current.CancellationToken)).Trim();
        await tab.GotoAsync("/admin/removals", expectedStatus: 401);
        await page.GetByLabel("Operator token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = requestId });
        await tab.ExpectAsync(() => Expect(link).ToBeVisibleAsync(), "the request in the pending queue");
        await AccessibilityTests.AssertNoViolationsAsync(tab, "/admin/removals");

        await link.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check for traces" }).ClickAsync();
        await tab.ExpectAsync(() => Expect(page.Locator(".trace-result")).ToContainTextAsync("trace(s) found"), "a pending request's profile still shows");
        await tab.ExpectAsync(() => Expect(page.Locator("section[aria-labelledby=supplied-heading]")).ToContainTextAsync("browser.person@example.org"), "what the requester supplied");
        await AccessibilityTests.AssertNoViolationsAsync(tab, "a removal request with its traces");

        await page.GetByLabel("Note to the requester (optional)").FillAsync("We could not verify the account.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await tab.ExpectAsync(() => Expect(page.Locator("[data-fact=status]")).ToHaveTextAsync("Rejected"), "the request after rejecting");
        await AccessibilityTests.AssertNoViolationsAsync(tab, "a rejected removal request");
        tab.AssertStayedOnLoopback();
    }
}
