using static Microsoft.Playwright.Assertions;

namespace TattooDirectory.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class MapViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_map_view_shows_one_pin_for_every_result_on_the_page()
    {
        await using var tab = await browser.OpenTabAsync();
        await tab.GotoAsync($"/artists?location={SearchSteps.Place}&view=map");

        var cards = await tab.Page.Locator("ol.results > li.artist-card").CountAsync();
        Assert.True(cards > 1, $"The map view listed {cards} result(s); the test needs several to mean anything.");
        await tab.ExpectAsync(() => Expect(tab.Page.Locator("#results-map .map-pin")).ToHaveCountAsync(cards),
            $"The map should show {cards} pins, one per result card");

        tab.AssertStayedOnLoopback();
    }
}
