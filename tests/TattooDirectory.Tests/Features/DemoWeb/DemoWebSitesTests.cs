using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using AngleSharp.Html.Parser;
using NetVips;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.DemoWeb;

public sealed class DemoWebSitesTests(DemoWebFixture web) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DemoWebManifest Manifest => web.Manifest;

    [Fact]
    public void Every_listening_socket_is_on_127_0_0_1_and_nowhere_else()
    {
        Assert.Equal(Manifest.Sites.Count + 1, web.Server.ListeningEndpoints.Count);
        Assert.All(web.Server.ListeningEndpoints, e => Assert.Equal(IPAddress.Loopback, e.Address));
        // What the operating system sees: nothing on our ports listens on 0.0.0.0, :: or a real interface.
        var ports = web.Server.ListeningEndpoints.Select(e => e.Port).ToHashSet();
        var ours = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => ports.Contains(l.Port)).ToList();
        Assert.Equal(ports.Count, ours.Count);
        Assert.All(ours, l => Assert.Equal(IPAddress.Loopback, l.Address));
        Assert.All(web.Server.SiteUris.Append(web.Server.ControlUri), u => Assert.Equal("127.0.0.1", u.Host));
    }

    [Fact]
    public void At_least_30_studios_each_have_a_site_of_their_own_with_one_to_eight_artists()
    {
        Assert.InRange(Manifest.Sites.Count, 30, DemoWebOptions.MaxStudios);
        Assert.Equal(Manifest.Sites.Count, Manifest.Sites.Select(s => new Uri(s.BaseUrl).Authority).Distinct().Count());
        Assert.All(Manifest.Sites, s => Assert.InRange(s.Artists.Count, 1, 8));
        var byCity = Manifest.Sites.CountBy(s => s.City).OrderByDescending(c => c.Value).ToList();
        Assert.Equal("Leeds", byCity[0].Key);
        Assert.Equal(5, byCity.Count);
    }

    [Fact]
    public void The_sites_cover_every_layout_robots_variant_page_fault_and_image_fault()
    {
        Assert.Equal(Enum.GetValues<SiteLayout>().Order(), Manifest.Sites.Select(s => s.Layout).Distinct().Order());
        Assert.Equal(Enum.GetValues<RobotsVariant>().Order(), Manifest.Sites.Select(s => s.Robots.Variant).Distinct().Order());
        Assert.Equal(Enum.GetValues<PageFault>().Order(), web.Artists.Select(x => x.Artist.Fault).Distinct().Order());
        var imageFaults = web.Artists.SelectMany(x => x.Artist.Images).Select(i => i.Fault).ToList();
        Assert.Equal(Enum.GetValues<ImageFault>().Order(), imageFaults.Distinct().Order());
        Assert.Equal(1, imageFaults.Count(f => f == ImageFault.PixelBomb));
        Assert.Single(Manifest.Sites, s => s.Robots.Variant == RobotsVariant.DisallowAll);
        Assert.Single(Manifest.Sites, s => s.Robots.Variant == RobotsVariant.ServerError);
    }

    [Fact]
    public async Task The_control_port_serves_the_same_manifest_the_server_exposes()
    {
        var json = await web.Client.GetStringAsync(new Uri(web.Server.ControlUri, "manifest.json"), Ct);
        var served = JsonSerializer.Deserialize(json, DemoWebJson.Default.DemoWebManifest)!;
        Assert.Equal(JsonSerializer.Serialize(Manifest, DemoWebJson.Default.DemoWebManifest), JsonSerializer.Serialize(served, DemoWebJson.Default.DemoWebManifest));
        Assert.Contains("\"layout\": \"instagram-only\"", json, StringComparison.Ordinal);
        var index = await web.Client.GetStringAsync(web.Server.ControlUri, Ct);
        Assert.All(Manifest.Sites, s => Assert.Contains($"href=\"{s.BaseUrl}\"", index, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_page_answers_with_the_status_type_and_redirect_the_manifest_gives()
    {
        var pages = Manifest.Sites.SelectMany(s => s.Pages).Where(p => p.Fault is not (PageFault.Slow or PageFault.Huge)).ToList();
        Assert.Contains(pages, p => p.Status == 301);
        foreach (var page in pages)
        {
            using var response = await web.Client.GetAsync(page.Url, Ct);
            Assert.True(page.Status == (int)response.StatusCode, $"{page.Url}: {(int)response.StatusCode}, expected {page.Status}");
            Assert.Equal(page.ContentType, response.Content.Headers.ContentType?.ToString());
            Assert.Equal(page.Location, response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task Robots_txt_says_what_the_manifest_says_for_each_variant()
    {
        foreach (var site in Manifest.Sites)
        {
            using var response = await web.Client.GetAsync(new Uri(new Uri(site.BaseUrl), "/robots.txt"), Ct);
            Assert.Equal(site.Robots.Status, (int)response.StatusCode);
            if (site.Robots.Status != 200) continue;
            var text = await response.Content.ReadAsStringAsync(Ct);
            foreach (var path in site.Robots.DisallowedForUs) Assert.Contains($"Disallow: {path}\n", text, StringComparison.Ordinal);
            Assert.Equal(site.Robots.CrawlDelaySeconds is not null, text.Contains($"Crawl-delay: {site.Robots.CrawlDelaySeconds}\n", StringComparison.Ordinal));
            if (site.Robots.Variant == RobotsVariant.OnlyOurBot)
            {
                Assert.Equal("User-agent: TattooDirectoryBot\nAllow: /\n\nUser-agent: *\nDisallow: /\n", text);
            }
        }
        Assert.Equal(new[] { 500, 404 }, Manifest.Sites.Where(s => s.Robots.Status != 200).Select(s => s.Robots.Status).Order().Reverse());
    }

    [Fact]
    public async Task An_artist_page_shows_the_name_bio_avatar_instagram_link_and_every_portfolio_image()
    {
        var parser = new HtmlParser();
        var withPages = web.Artists.Where(x => x.Artist.Expect == ArtistOutcome.Scraped && x.Artist.PageUrl is not null).ToList();
        Assert.Contains(withPages, x => x.Artist.Fault == PageFault.Malformed);
        foreach (var (_, artist) in withPages)
        {
            var document = await parser.ParseDocumentAsync(await web.Client.GetStringAsync(artist.PageUrl, Ct));
            Assert.Equal(artist.Name, document.QuerySelector("h1")?.TextContent);
            Assert.Contains(artist.Bio!, document.Body!.TextContent, StringComparison.Ordinal);
            Assert.Contains(document.QuerySelectorAll("a[href]"), a => a.GetAttribute("href") == artist.InstagramUrl);
            var images = document.QuerySelectorAll("img").Select(i => (Src: new Uri(new Uri(artist.PageUrl!), i.GetAttribute("src")!).AbsoluteUri, Alt: i.GetAttribute("alt"))).ToList();
            Assert.Contains(images, i => i.Src == artist.AvatarUrl);
            Assert.Equal(artist.Images.Select(i => (i.Url, (string?)i.Alt)), images.Where(i => i.Src != artist.AvatarUrl));
            foreach (var caption in artist.Images.Select(i => i.Caption).OfType<string>())
            {
                Assert.Contains(document.QuerySelectorAll("figcaption"), f => f.TextContent == caption);
            }
        }
    }

    [Fact]
    public async Task Json_ld_studios_name_each_artist_page_only_in_structured_data()
    {
        var parser = new HtmlParser();
        foreach (var site in Manifest.Sites.Where(s => s.Layout == SiteLayout.JsonLd && s.Robots.Variant != RobotsVariant.DisallowAll))
        {
            var home = await parser.ParseDocumentAsync(await web.Client.GetStringAsync(site.BaseUrl, Ct));
            Assert.DoesNotContain(home.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.StartsWith("/artists/", StringComparison.Ordinal));
            var parlor = JsonDocument.Parse(home.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
            Assert.Equal("TattooParlor", parlor.GetProperty("@type").GetString());
            var employees = parlor.GetProperty("employee").EnumerateArray().ToList();
            Assert.Equal(site.Artists.Select(a => (a.Name, a.PageUrl, a.InstagramUrl)),
                employees.Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("url").GetString(), e.GetProperty("sameAs")[0].GetString()!)));

            var artist = site.Artists.First(a => a.Fault == PageFault.None);
            var page = await parser.ParseDocumentAsync(await web.Client.GetStringAsync(artist.PageUrl, Ct));
            var person = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
            Assert.Equal("Person", person.GetProperty("@type").GetString());
            Assert.Equal(artist.Bio, person.GetProperty("description").GetString());
            Assert.Equal(artist.AvatarUrl, person.GetProperty("image").GetString());
            Assert.Equal(site.BaseUrl, person.GetProperty("worksFor").GetProperty("url").GetString());
            Assert.Equal(artist.InstagramUrl, person.GetProperty("sameAs")[0].GetString());
        }
    }

    [Fact]
    public async Task One_page_and_instagram_only_sites_show_every_artist_on_the_home_page()
    {
        var parser = new HtmlParser();
        foreach (var site in Manifest.Sites.Where(s => s.Layout is SiteLayout.OnePage or SiteLayout.InstagramOnly))
        {
            var home = await parser.ParseDocumentAsync(await web.Client.GetStringAsync(site.BaseUrl, Ct));
            var links = home.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")).ToHashSet();
            var sources = home.QuerySelectorAll("img[src]").Select(i => new Uri(new Uri(site.BaseUrl), i.GetAttribute("src")!).AbsoluteUri).ToHashSet();
            foreach (var artist in site.Artists)
            {
                Assert.Null(artist.PageUrl);
                Assert.Contains(artist.Name, home.Body!.TextContent, StringComparison.Ordinal);
                Assert.Contains(artist.InstagramUrl, links);
                Assert.All(artist.Images, i => Assert.Contains(i.Url, sources));
            }
            if (site.Layout == SiteLayout.InstagramOnly) Assert.All(site.Artists, a => Assert.Empty(a.Images));
        }
    }

    [Fact]
    public async Task Portfolio_images_are_real_files_of_the_stated_format_and_size()
    {
        // Every image of each site's first portfolio and every deliberately odd one: enough to cover each site without rendering all.
        var images = Manifest.Sites.SelectMany(s => s.Artists.Where(a => a.Images.Count > 0).Take(1).SelectMany(a => a.Images))
            .Concat(web.Artists.SelectMany(x => x.Artist.Images).Where(i => i.Fault != ImageFault.None))
            .DistinctBy(i => i.Url)
            .ToList();
        Assert.Contains(images, i => i.Format == ImageFormat.Png && i.Fault == ImageFault.None);
        foreach (var image in images)
        {
            using var response = await web.Client.GetAsync(image.Url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(image.ContentType, response.Content.Headers.ContentType?.ToString());
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            var header = ImageHeaders.Read(bytes);
            if (image.Fault == ImageFault.Corrupt)
            {
                Assert.Equal([0xFF, 0xD8], bytes[..2]);
                Assert.ThrowsAny<VipsException>(() => Decode(bytes));
                continue;
            }
            Assert.Equal((image.Format.ToString().ToLowerInvariant(), image.Width, image.Height), header);
            if (image.Fault == ImageFault.PixelBomb)
            {
                // 256 megapixels in well under a megabyte: never decode it here either.
                Assert.InRange(bytes.Length, 1, 1 << 20);
                continue;
            }
            Assert.Equal((image.Width, image.Height), Decode(bytes));
        }
    }

    [Fact]
    public async Task Avatars_are_256_pixel_pngs()
    {
        foreach (var (_, artist) in web.Artists.Where(x => x.Artist.AvatarUrl is not null).Take(12))
        {
            var bytes = await web.Client.GetByteArrayAsync(artist.AvatarUrl, Ct);
            Assert.Equal(("png", 256, 256), ImageHeaders.Read(bytes));
        }
    }

    [Fact]
    public void Image_text_names_the_image_style_through_the_vocabulary_and_bios_name_the_artist_styles()
    {
        var scraped = web.Artists.Where(x => x.Artist.Expect == ArtistOutcome.Scraped).Select(x => x.Artist).ToList();
        Assert.All(scraped.SelectMany(a => a.Images), i => Assert.Equal([i.Style], StyleVocabulary.InferFrom($"{i.Alt}\n{i.Caption}")));
        Assert.All(scraped, a => Assert.Equal(a.Styles.Order(), StyleVocabulary.InferFrom(a.Bio).Order()));
        // Hashtags and aliases both occur, not just the style names.
        var texts = scraped.SelectMany(a => a.Images).Select(i => $"{i.Alt} {i.Caption}").ToList();
        Assert.Contains(texts, t => t.Contains('#', StringComparison.Ordinal));
        Assert.Contains(texts, t => StyleVocabulary.All.SelectMany(s => s.Aliases).Any(alias => t.StartsWith(alias + " piece", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_slow_page_answers_only_once_its_delay_has_passed_on_the_clock()
    {
        var artist = web.Artists.Single(x => x.Artist.Fault == PageFault.Slow).Artist;
        var pending = web.Client.GetAsync(artist.PageUrl, Ct);
        web.Time.Advance(web.Options.SlowResponseDelay - TimeSpan.FromSeconds(1));
        // However far the request has got, the server's wait cannot have ended yet.
        Assert.False(pending.IsCompleted);
        for (var i = 0; i < 500 && !pending.IsCompleted; i++)
        {
            web.Time.Advance(web.Options.SlowResponseDelay);
            await Task.WhenAny(pending, Task.Delay(20, Ct));
        }
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(artist.Name, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_huge_page_streams_past_its_size_with_no_content_length()
    {
        var artist = web.Artists.Single(x => x.Artist.Fault == PageFault.Huge).Artist;
        using var response = await web.Client.GetAsync(artist.PageUrl, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[64 * 1024];
        var first = await body.ReadAtLeastAsync(buffer, 4096, throwOnEndOfStream: false, Ct);
        Assert.Contains(artist.Name, System.Text.Encoding.UTF8.GetString(buffer, 0, first), StringComparison.Ordinal);
        long total = first;
        for (int read; (read = await body.ReadAsync(buffer, Ct)) > 0;) total += read;
        Assert.True(total > web.Options.HugePageBytes, $"{total} bytes");
    }

    [Fact]
    public async Task Unknown_paths_are_not_found_and_writes_are_not_allowed()
    {
        var site = new Uri(Manifest.Sites[0].BaseUrl);
        using var missing = await web.Client.GetAsync(new Uri(site, "/wp-login.php"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var post = await web.Client.PostAsync(site, new StringContent("x"), Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    private static (int Width, int Height) Decode(byte[] bytes)
    {
        using var image = Image.NewFromBuffer(bytes, failOn: Enums.FailOn.Error, access: Enums.Access.Sequential);
        // Reading every pixel proves the whole file decodes, not just its header.
        _ = image.Avg();
        return (image.Width, image.Height);
    }
}
