using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TattooDirectory.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SeekerPathTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_seeker_finds_Leeds_artists_of_two_styles_and_browses_a_profile_gallery_by_keyboard()
    {
        await using var tab = await browser.OpenTabAsync();
        var page = tab.Page;

        await SearchSteps.SearchFromHomeAsync(tab);
        var cardIds = await SearchSteps.AssertEveryCardHasAStyleAsync(tab);

        // Open a profile from the grid, choosing one the API says has a gallery to browse.
        var artistId = await PublicPages.FirstArtistWithGalleryAsync(browser.Host, cardIds);
        var cardLink = page.Locator($"li.artist-card[data-artist-id='{artistId}'] a.artist-link");
        var name = (await cardLink.InnerTextAsync()).Trim();
        await cardLink.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/artists/{artistId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await tab.SettleAsync();

        var galleryLink = page.Locator("ul.gallery a.gallery-link").First;
        var lightbox = page.Locator("dialog#lightbox");
        await galleryLink.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await tab.ExpectAsync(() => Expect(lightbox).ToBeVisibleAsync(), "Enter on a gallery link should open the lightbox");
        Assert.True(new Uri(page.Url).AbsolutePath == $"/artists/{artistId}", $"Enter on a gallery link left the profile for {page.Url}. {tab.Errors}");

        await page.Keyboard.PressAsync("Escape");
        await tab.ExpectAsync(() => Expect(lightbox).ToBeHiddenAsync(), "Escape should close the lightbox");
        await tab.ExpectAsync(() => Expect(galleryLink).ToBeFocusedAsync(), "Closing the lightbox should return focus to the gallery link");

        var instagram = page.Locator("a.cta-instagram");
        await Expect(instagram).ToHaveAttributeAsync("target", "_blank");
        var rel = await instagram.GetAttributeAsync("rel") ?? "";
        Assert.Contains("noopener", rel.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        tab.AssertStayedOnLoopback();
    }
}
