using System.Net;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>Pages over a directory of their own (not the shared seed): edge cases, failures and configuration.</summary>
public sealed class OwnDataPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Studio InkWell = new()
    {
        StudioId = "studio-inkwell1",
        Name = "Ink Well",
        Address = "1 Call Lane",
        City = "Leeds",
        Postcode = "LS1 6DT",
        Geo = TestArtists.Leeds,
        OpeningHours = ["Tue–Sat 10:00–18:00"],
    };

    [Fact]
    public async Task An_artist_without_images_says_the_portfolio_is_not_available_and_keeps_the_instagram_link()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-noimages1", "Nell Bare"), [], Ct);

        var page = await host.GetPageAsync("/artists/artist-noimages1");

        Assert.Equal("Portfolio not available", page.One(".no-portfolio").Text());
        Assert.Empty(page.All("ul.gallery"));
        Assert.Empty(page.All("dialog#lightbox"));
        Assert.Equal("https://www.instagram.com/ink_noimages1/", page.One("a.cta-instagram").GetAttribute("href"));
    }

    [Fact]
    public async Task An_artist_who_opted_out_has_no_page()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-optedout1", "Olive Out") with { OptedOut = true }, [], Ct);

        var page = await host.GetPageAsync("/artists/artist-optedout1", HttpStatusCode.NotFound);
        Assert.DoesNotContain("Olive Out", page.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var removal = await host.GetPageAsync("/removal?artistId=artist-optedout1");
        Assert.Empty(removal.All(".removal-artist"));
    }

    [Fact]
    public async Task Links_out_appear_only_for_well_formed_handles_and_web_addresses()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        var artist = TestArtists.Make("artist-hostile1", "Hal Hostile") with { InstagramHandle = "\"><script>x</script>", WebsiteUrl = "javascript:alert(1)" };
        await host.Service<ArtistCatalog>().PutArtistAsync(artist, [], Ct);

        var page = await host.GetPageAsync("/artists/artist-hostile1");

        Assert.Empty(page.All("a.cta-instagram"));
        Assert.Empty(page.All("a.cta-website"));
        Assert.Empty(page.All("main script"));
    }

    [Fact]
    public async Task A_failing_page_shows_the_error_page_with_its_request_id_while_the_api_answers_problem_json()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        host.Service<TattooDirectory.Backends.Local.LocalStores>().Store.Dispose();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/studios/studio-inkwell1");
        request.Headers.TryAddWithoutValidation("Accept", HtmlPages.BrowserAccept);
        request.Headers.Add("X-Request-Id", "req-failing-page-1");
        using var response = await host.Client.SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Something went wrong</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"request-id\">req-failing-page-1</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ObjectDisposedException", html, StringComparison.Ordinal);
        HttpPolicyTests.AssertSecurityHeaders(response, HttpPolicyTests.Policy);

        using var api = await host.Client.GetAsync("/v1/studios/studio-inkwell1", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_configured_tile_server_reaches_the_maps_and_the_image_policy()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Map:TileUrl"] = "https://{s}.tiles.example.org/{z}/{x}/{y}.png" });
        await host.Service<ArtistCatalog>().PutStudioAsync(InkWell, Ct);

        var page = await host.GetPageAsync("/studios/studio-inkwell1");

        Assert.Equal("https://{s}.tiles.example.org/{z}/{x}/{y}.png", page.One("div.studio-map").GetAttribute("data-tiles"));
        Assert.Contains("img-src 'self' data: https://*.tiles.example.org;", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Equal(["Tue–Sat 10:00–18:00"], page.All(".opening-hours li").Select(l => l.Text()));
        Assert.Equal("No artists are listed at this studio.", page.One(".no-results").Text());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://tiles.example.org/no-placeholders.png")]
    public async Task A_tile_url_that_is_not_a_tile_template_stops_the_start(string tileUrl)
    {
        using var data = new TempDirectory();
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Map:TileUrl"] = tileUrl }, data: data);
        });
    }
}
