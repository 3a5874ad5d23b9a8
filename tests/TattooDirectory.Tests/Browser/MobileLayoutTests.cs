using System.Text.Json;

namespace TattooDirectory.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class MobileLayoutTests(BrowserFixture browser)
{
    // Names the widest elements too, so a failure says what to fix (some may sit in a clipping box).
    private const string MeasureWidth = """
        () => {
          const viewport = window.innerWidth;
          const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const wide = [...document.body.querySelectorAll('*')]
            .map(e => ({ e, right: e.getBoundingClientRect().right }))
            .filter(x => x.right > viewport + 0.5)
            .slice(0, 8)
            .map(x => `${describe(x.e)} (right edge ${Math.round(x.right)} px)`);
          return { scrollWidth: document.documentElement.scrollWidth, innerWidth: viewport, wide };
        }
        """;

    public static TheoryData<string> Pages => new(PublicPages.Names);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_has_no_horizontal_scroll_on_a_390_by_844_phone(string page)
    {
        await using var tab = await browser.OpenTabAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await tab.GotoAsync(browser.Pages.PathOf(page), PublicPages.StatusOf(page));
        await tab.SettleAsync();

        var measured = await tab.Page.EvaluateAsync<JsonElement>(MeasureWidth);
        var scrollWidth = measured.GetProperty("scrollWidth").GetInt32();
        var innerWidth = measured.GetProperty("innerWidth").GetInt32();
        Assert.True(scrollWidth <= innerWidth,
            $"{page} scrolls sideways at 390×844: scrollWidth {scrollWidth} > innerWidth {innerWidth}. Elements past the right edge: {string.Join("; ", measured.GetProperty("wide").EnumerateArray())}");

        tab.AssertStayedOnLoopback();
    }
}
