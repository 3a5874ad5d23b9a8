using System.Globalization;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>The profile, studio and style pages, checked against the API for the same ids.</summary>
public sealed class DirectoryPagesTests(SeededDirectory directory)
{
    private DirectoryHost Host => directory.Host;

    [Fact]
    public async Task A_profile_shows_the_artist_their_gallery_and_studio_and_links_out_safely()
    {
        var id = (await Host.ApiIdsAsync("styles=realism&limit=1"))[0];
        var profile = await Host.GetJsonAsync($"/v1/artists/{id}");
        var page = await Host.GetPageAsync($"/artists/{id}");

        Assert.Equal(profile.GetProperty("name").GetString(), page.One("h1").Text());
        foreach (var style in profile.GetProperty("styles").EnumerateArray())
        {
            Assert.Equal(style.GetProperty("name").GetString(), page.One($"a[href='/artists?styles={style.GetProperty("id").GetString()}']").Text());
        }
        var city = profile.GetProperty("studio").GetProperty("city").GetString()!;
        Assert.NotNull(page.One($".profile-location a[href='/artists?location={Uri.EscapeDataString(city)}']"));

        var images = profile.GetProperty("portfolioImages").EnumerateArray().ToList();
        var links = page.All("ul.gallery > li > a.gallery-link");
        Assert.Equal(images.Count, links.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var (image, link) = (images[i], links[i]);
            var img = link.QuerySelector("img")!;
            Assert.Equal(image.GetProperty("url").GetString(), link.GetAttribute("href"));
            Assert.Equal(image.GetProperty("width").GetInt32().ToString(CultureInfo.InvariantCulture), link.GetAttribute("data-width"));
            Assert.Equal(image.GetProperty("height").GetInt32().ToString(CultureInfo.InvariantCulture), link.GetAttribute("data-height"));
            Assert.Equal(image.GetProperty("thumbnailUrl").GetString(), img.GetAttribute("src"));
            var caption = image.TryGetProperty("caption", out var c) ? c.GetString() : null;
            Assert.Equal(string.IsNullOrWhiteSpace(caption) ? $"Portfolio piece by {profile.GetProperty("name").GetString()}" : caption, img.GetAttribute("alt"));
            Assert.Equal(i < 3 ? "eager" : "lazy", img.GetAttribute("loading"));
            Assert.InRange(int.Parse(img.GetAttribute("width")!, CultureInfo.InvariantCulture), 1, 400);
        }

        var lightbox = page.One("dialog#lightbox.lightbox[aria-label='Portfolio image']");
        Assert.NotNull(lightbox.QuerySelector("img"));
        Assert.NotNull(lightbox.QuerySelector(".lightbox-caption"));
        Assert.Equal(["prev", "next", "close"], lightbox.QuerySelectorAll("button[type=button]").Select(b => b.GetAttribute("data-action")));

        var instagram = page.One("a.cta-instagram");
        Assert.Equal($"https://www.instagram.com/{profile.GetProperty("instagramHandle").GetString()}/", instagram.GetAttribute("href"));
        Assert.Equal("_blank", instagram.GetAttribute("target"));
        Assert.Contains("noopener", instagram.GetAttribute("rel")!.Split(' '));
        Assert.StartsWith("View on Instagram", instagram.Text(), StringComparison.Ordinal);
        Assert.Equal($"/removal?artistId={id}", page.One("a[href^='/removal']").GetAttribute("href"));

        var studio = profile.GetProperty("studio");
        Assert.Contains(studio.GetProperty("postcode").GetString()!, page.One(".profile-studio address").Text(), StringComparison.Ordinal);
        var pin = Assert.Single(page.One(".profile-studio div.studio-map").Pins().EnumerateArray());
        Assert.Equal(studio.GetProperty("studioId").GetString(), pin.GetProperty("id").GetString());
        Assert.Equal(studio.GetProperty("geo").GetProperty("lat").GetDouble(), pin.GetProperty("lat").GetDouble(), 4);
        Assert.Equal("", page.One(".studio-map").GetAttribute("data-tiles"));
    }

    [Fact]
    public async Task Studios_are_listed_by_city_with_links_that_filter_to_one_city()
    {
        var all = await Host.GetPageAsync("/studios");
        Assert.NotNull(all.One("nav.city-filter a[href='/studios?city=Leeds']"));
        Assert.Equal("page", all.One("nav.city-filter a[href='/studios']").GetAttribute("aria-current"));
        Assert.True(all.All("main section h2").Count > 1, "studios are grouped under their cities");

        var leeds = await Host.GetPageAsync("/studios?city=Leeds");
        var expected = (await Host.GetJsonAsync("/v1/studios?city=Leeds&limit=100")).GetProperty("items").EnumerateArray()
            .Select(s => $"/studios/{s.GetProperty("studioId").GetString()}").Order().ToList();
        Assert.Equal(["Leeds"], leeds.All("main section h2").Select(h => h.Text()));
        Assert.Equal(expected, leeds.All(".studio-card h3 a").Select(a => a.GetAttribute("href")!).Order());
        Assert.Equal("page", leeds.One("nav.city-filter a[href='/studios?city=Leeds']").GetAttribute("aria-current"));
    }

    [Fact]
    public async Task A_studio_page_has_address_hours_contact_map_and_its_artists()
    {
        var id = (await Host.GetJsonAsync("/v1/studios?city=Leeds&limit=1")).GetProperty("items")[0].GetProperty("studioId").GetString();
        var api = await Host.GetJsonAsync($"/v1/studios/{id}");
        var studio = api.GetProperty("studio");
        var page = await Host.GetPageAsync($"/studios/{id}");

        Assert.Equal(studio.GetProperty("name").GetString(), page.One("h1").Text());
        Assert.Contains(studio.GetProperty("postcode").GetString()!, page.One("address").Text(), StringComparison.Ordinal);
        Assert.Equal(studio.GetProperty("openingHours").EnumerateArray().Select(h => h.GetString()), page.All(".opening-hours li").Select(l => l.Text()));
        Assert.NotEmpty(page.All(".contact-list li"));
        Assert.Equal(id, Assert.Single(page.One("div.studio-map").Pins().EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(api.GetProperty("artists").EnumerateArray().Select(a => a.GetProperty("artistId").GetString()), page.CardIds);
    }

    [Fact]
    public async Task Styles_show_live_counts_and_a_style_page_lists_only_its_artists_in_pages()
    {
        var styles = (await Host.GetJsonAsync("/v1/styles")).EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("artistCount").GetInt32());
        var index = await Host.GetPageAsync("/styles");
        var tiles = index.All(".style-tile");
        Assert.Equal(styles.Count, tiles.Count);
        var blackworkTile = tiles.Single(t => t.QuerySelector("a")!.GetAttribute("href") == "/styles/blackwork");
        Assert.Equal($"{styles["blackwork"]} artists", blackworkTile.QuerySelector(".count")!.Text());

        var page = await Host.GetPageAsync("/styles/blackwork");
        Assert.Equal("Blackwork tattoo artists", page.One("h1").Text());
        Assert.All(page.All("li.artist-card"), card => Assert.NotNull(card.QuerySelector("li[data-style=blackwork]")));
        Assert.Equal(await Host.ApiIdsAsync("styles=blackwork&sort=rating&limit=24"), page.CardIds);
        Assert.True(styles["blackwork"] > 24, "the seed has more than a page of blackwork artists");
        var next = page.One("nav.pagination a[rel=next]").GetAttribute("href");
        Assert.Equal("/styles/blackwork?page=2", next);
        Assert.Equal(await Host.ApiIdsAsync("styles=blackwork&sort=rating&limit=24&page=2"), (await Host.GetPageAsync(next!)).CardIds);
    }
}
