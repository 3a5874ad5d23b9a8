using System.Net;
using System.Text.RegularExpressions;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>The markup every public page shares (web contract "Markup", product.md §3 accessibility).</summary>
public sealed partial class PublicPagesTests(SeededDirectory directory)
{
    private DirectoryHost Host => directory.Host;

    private async Task<IReadOnlyList<string>> PublicUrlsAsync()
    {
        var artist = (await Host.ApiIdsAsync("styles=realism&limit=1"))[0];
        var studio = (await Host.GetJsonAsync("/v1/studios?limit=1")).GetProperty("items")[0].GetProperty("studioId").GetString();
        return ["/", "/artists", "/artists?location=Leeds&styles=blackwork", "/artists?location=Leeds&view=map", $"/artists/{artist}",
            "/studios", "/studios?city=Leeds", $"/studios/{studio}", "/styles", "/styles/blackwork",
            "/privacy", "/terms", "/faq", "/removal", $"/removal?artistId={artist}", "/status"];
    }

    [Fact]
    public async Task Every_public_page_has_a_unique_title_one_h1_landmarks_and_the_shared_assets()
    {
        var titles = new Dictionary<string, string>();
        foreach (var url in await PublicUrlsAsync())
        {
            var page = await Host.GetPageAsync(url);
            var doc = page.Document;
            Assert.Equal("en-GB", doc.DocumentElement.GetAttribute("lang"));
            Assert.EndsWith("– Tattoo Directory", doc.Title);
            Assert.False(titles.TryGetValue(doc.Title!, out var other), $"{url} has the same title as {other}: {doc.Title}");
            titles[doc.Title!] = url;
            Assert.Single(page.All("h1"));
            Assert.False(string.IsNullOrWhiteSpace(page.One("meta[name=description]").GetAttribute("content")));

            Assert.Equal("#main", page.One("a.skip-link").GetAttribute("href"));
            Assert.Equal("/", page.One("header a.site-name").GetAttribute("href"));
            Assert.NotNull(page.One("header nav"));
            Assert.Equal("main", page.One("#main").LocalName);
            var footerLinks = page.All("footer a").Select(a => a.GetAttribute("href")).ToList();
            Assert.Superset(new HashSet<string?> { "/faq", "/privacy", "/terms", "/removal", "/status" }, footerLinks.ToHashSet());

            Assert.Matches(FingerprintedCss(), page.One("link[rel=stylesheet]").GetAttribute("href"));
            Assert.Contains(page.All("script"), s => s.GetAttribute("type") == "module" && s.GetAttribute("src")?.Contains("js/site", StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task No_page_carries_inline_script_event_handlers_or_inline_styles()
    {
        foreach (var url in await PublicUrlsAsync())
        {
            var page = await Host.GetPageAsync(url);
            Assert.All(page.All("script"), s =>
            {
                Assert.False(string.IsNullOrEmpty(s.GetAttribute("src")), $"{url} has an inline script");
                Assert.True(string.IsNullOrWhiteSpace(s.TextContent), $"{url} has script text");
            });
            Assert.Empty(page.All("style"));
            Assert.Empty(page.All("[style]"));
            var handlers = page.All("*").SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name);
            Assert.Empty(handlers);
            Assert.DoesNotContain(page.All("a[href]"), a => a.GetAttribute("href")!.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Images_reserve_their_space_and_say_what_they_show_and_fields_have_labels()
    {
        foreach (var url in await PublicUrlsAsync())
        {
            var page = await Host.GetPageAsync(url);
            Assert.All(page.All("main img:not(.lightbox-image)"), img =>
            {
                Assert.True(img.HasAttribute("alt"), $"{url}: an image has no alt");
                Assert.True(int.TryParse(img.GetAttribute("width"), out _) && int.TryParse(img.GetAttribute("height"), out _), $"{url}: {img.OuterHtml} has no width/height");
            });
            var fields = page.All("input:not([type=hidden]), select, textarea");
            Assert.All(fields, f => Assert.NotNull(page.Document.QuerySelector($"label[for='{f.Id}']")));
        }
    }

    [Fact]
    public async Task The_home_page_explains_the_directory_and_offers_search_styles_and_top_rated_artists()
    {
        var page = await Host.GetPageAsync("/");

        var form = page.One("form.search-form");
        Assert.Equal("search", form.GetAttribute("role"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/artists", form.GetAttribute("action"));
        Assert.Equal("search", page.One("input#query[name=query]").GetAttribute("type"));
        Assert.Equal(17, page.All("input[type=checkbox][name=styles]").Count);
        Assert.Equal("Neo-Traditional", page.One("label[for=style-neo-traditional]").Text());
        Assert.NotNull(page.One("input#location[name=location]"));
        Assert.Equal(["5", "10", "25", "50", "100"], page.All("select#radiusKm[name=radiusKm] option").Select(o => o.GetAttribute("value")));
        Assert.Equal(["", "relevance", "distance", "rating", "name"], page.All("select#sort[name=sort] option").Select(o => o.GetAttribute("value")));
        Assert.Equal("Best match", page.One("select#sort option[value='']").Text());
        Assert.Equal("Search", page.One("form.search-form button[type=submit]").Text());

        var tiles = page.All(".style-tile a");
        Assert.Equal(17, tiles.Count);
        Assert.Contains(tiles, t => t.GetAttribute("href") == "/artists?styles=blackwork");
        var featured = page.CardIds;
        Assert.Equal(6, featured.Count);
        Assert.Equal(await Host.ApiIdsAsync("sort=rating&limit=6"), featured);
        Assert.Contains("we take no bookings", page.One("main").Text());
        foreach (var link in new[] { "/faq", "/privacy", "/terms", "/removal" }) Assert.NotNull(page.One($"main a[href='{link}']"));
    }

    [Theory]
    [InlineData("/faq", "Can I book an appointment here?")]
    [InlineData("/privacy", "Information about visitors")]
    [InlineData("/terms", "Images and content")]
    public async Task The_content_pages_answer_in_plain_words(string url, string heading)
    {
        var page = await Host.GetPageAsync(url);
        Assert.Contains(page.All("h2"), h => h.Text() == heading);
        Assert.True(page.One("main").Text().Length > 800, $"{url} is too thin");
    }

    [Fact]
    public async Task The_removal_page_explains_the_review_and_names_the_artist_it_was_opened_for()
    {
        var id = (await Host.ApiIdsAsync("styles=realism&limit=1"))[0];
        var name = (await Host.GetJsonAsync($"/v1/artists/{id}")).GetProperty("name").GetString()!;

        var page = await Host.GetPageAsync($"/removal?artistId={id}");
        Assert.Equal(name, page.One(".removal-artist strong").Text());
        Assert.Equal(id, page.One("form.removal-form input#artistId").GetAttribute("value"));
        Assert.Contains("reviews every request", page.One("main").Text());

        var unknown = await Host.GetPageAsync("/removal?artistId=%3Cscript%3E");
        Assert.Empty(unknown.All(".removal-artist"));
        Assert.Null(unknown.One("form.removal-form input#artistId").GetAttribute("value"));
    }

    [Fact]
    public async Task The_status_page_shows_each_component_from_the_same_checks_as_health()
    {
        var page = await Host.GetPageAsync("/status");
        Assert.Equal("no-store", page.Headers["Cache-Control"]);
        var rows = page.All("table.status-table tbody tr").ToDictionary(r => r.GetAttribute("data-component")!, r => r);
        Assert.Equal(["blobs", "index", "queue", "scheduler", "store", "sync", "topic", "workers", "workflow"], rows.Keys.Order());
        Assert.All(rows.Values, r => Assert.Equal("Healthy", r.QuerySelector(".status-badge")!.Text()));
        Assert.All(rows.Values, r => Assert.Equal("Working normally.", r.QuerySelectorAll("td").Last().Text().Trim()));
        Assert.Equal(3, page.All("table.status-table thead th[scope=col]").Count);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/artists/artist-zzzzzzzzzz")]
    [InlineData("/artists/Not-An-Id")]
    [InlineData("/studios/studio-zzzzzzzzzz")]
    [InlineData("/studios/elsewhere")]
    [InlineData("/styles/no-such-style")]
    public async Task Unknown_addresses_and_ids_get_the_friendly_404_page(string url)
    {
        var page = await Host.GetPageAsync(url, HttpStatusCode.NotFound);
        Assert.Equal("Page not found", page.One("h1").Text());
        Assert.Equal("Page not found – Tattoo Directory", page.Document.Title);
        Assert.NotNull(page.One("main a[href='/artists']"));
        Assert.NotNull(page.One("footer a[href='/faq']"));
        Assert.Matches(FingerprintedCss(), page.One("link[rel=stylesheet]").GetAttribute("href"));
    }

    [GeneratedRegex(@"^/css/site\.[a-z0-9]+\.css$")]
    private static partial Regex FingerprintedCss();
}
