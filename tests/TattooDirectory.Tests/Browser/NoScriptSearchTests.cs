namespace TattooDirectory.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class NoScriptSearchTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_search_form_works_with_JavaScript_disabled()
    {
        await using var tab = await browser.OpenTabAsync(new() { JavaScriptEnabled = false });

        await SearchSteps.SearchFromHomeAsync(tab);
        await SearchSteps.AssertEveryCardHasAStyleAsync(tab);

        tab.AssertStayedOnLoopback();
    }
}
