using Microsoft.Playwright;

namespace TattooDirectory.Tests.Browser;

/// <summary>The seeker's search from the home page, shared by the scripted and the script-free runs.</summary>
internal static class SearchSteps
{
    public const string Place = "Leeds";
    public static readonly string[] Styles = ["neo-traditional", "blackwork"];

    /// <summary>Types the place, ticks both styles and submits the home page form; ends on the results page.</summary>
    public static async Task SearchFromHomeAsync(BrowserTab tab)
    {
        var page = tab.Page;
        await tab.GotoAsync("/");
        var form = page.Locator("form.search-form[role=search]");
        await form.Locator("#location").FillAsync(Place);
        foreach (var style in Styles) await form.Locator($"#style-{style}").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/artists");

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query);
        Assert.Equal(Place, query["location"]);
        Assert.Equal(Styles.Order(), (query.GetValues("styles") ?? []).Order());
    }

    /// <summary>Asserts the grid holds at least one card and that every card shows one of the searched styles; returns the cards' artist ids.</summary>
    public static async Task<IReadOnlyList<string>> AssertEveryCardHasAStyleAsync(BrowserTab tab)
    {
        var cards = tab.Page.Locator("ol.results > li.artist-card");
        var count = await cards.CountAsync();
        Assert.True(count > 0, $"The search for {Place} in {string.Join(" or ", Styles)} showed no artist card at {tab.Page.Url}.");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var card = cards.Nth(i);
            var id = await card.GetAttributeAsync("data-artist-id") ?? "";
            var shown = await card.Locator("ul.artist-styles > li[data-style]").EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.style)");
            Assert.True(shown.Intersect(Styles).Any(), $"Card {i + 1} ({id}) shows styles [{string.Join(", ", shown)}], none of {string.Join(", ", Styles)}.");
            ids.Add(id);
        }
        return ids;
    }
}
