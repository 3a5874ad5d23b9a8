using TattooDirectory.Features.Aggregation.Scraping;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

public sealed class ArtistPageExtractorTests
{
    private static readonly Uri Page = new("https://studio.example/artists/ada");
    private readonly ArtistPageExtractor _extractor = new(maxImages: 12);

    [Fact]
    public void An_artist_page_yields_name_bio_avatar_handle_and_portfolio_with_captions_and_hashtags()
    {
        const string html = """
            <html><body><header><img src="/logo.png" width="300" height="300" alt="Studio"></header>
            <article><h1>Ada Inkwell</h1><img class="avatar" src="/a/ada.png" alt="Ada Inkwell">
            <p class="bio">Blackwork and fine line. #blackwork #fineline</p>
            <a href="https://www.instagram.com/Ada.Ink/?hl=en">Instagram</a>
            <figure><img src="../img/1.jpg" srcset="/img/1-small.jpg 400w, /img/1-large.jpg 1600w" alt="Dagger" width="800" height="1000"><figcaption>Neo trad dagger #neotrad</figcaption></figure>
            <img src="/img/badge.png" width="32" height="32" alt="badge">
            <img src="data:image/png;base64,AAAA" alt="inline">
            </article></body></html>
            """;

        var artist = _extractor.Extract(html, Page, new ArtistHint(null, null));

        Assert.Equal("Ada Inkwell", artist.Name);
        Assert.Equal("Blackwork and fine line. #blackwork #fineline", artist.Bio);
        Assert.Equal(new Uri("https://studio.example/a/ada.png"), artist.Avatar);
        Assert.Equal("ada.ink", artist.InstagramHandle);
        var image = Assert.Single(artist.Images);
        Assert.Equal(new Uri("https://studio.example/img/1-large.jpg"), image.Url);
        Assert.Equal("Dagger", image.Alt);
        Assert.Equal("Neo trad dagger #neotrad", image.Caption);
        Assert.Equal(["#neotrad"], image.Hashtags);
        Assert.Equal("neo-traditional", StyleInference.ForImage(image));
    }

    [Fact]
    public void On_a_page_of_several_artists_only_the_hinted_artists_section_is_read()
    {
        const string html = """
            <main><h1>Mill Street Tattoo</h1><div id="artists">
            <section class="artist" id="bo"><h2>Bo Lines</h2><p class="bio">Dotwork.</p><a href="https://instagram.com/bo.lines">@bo.lines</a>
            <figure><img src="/img/bo.jpg" alt="dot work mandala"></figure></section>
            <section class="artist" id="cy"><h2>Cy Koi</h2><p class="bio">Irezumi.</p><a href="https://instagram.com/cy_koi">@cy_koi</a>
            <figure><img src="/img/cy.jpg" alt="koi sleeve, irezumi"></figure></section>
            </div></main>
            """;

        var cy = _extractor.Extract(html, new Uri("https://studio.example/"), new ArtistHint("Cy Koi", "@Cy_Koi"));

        Assert.Equal("Cy Koi", cy.Name);
        Assert.Equal("Irezumi.", cy.Bio);
        Assert.Equal("cy_koi", cy.InstagramHandle);
        Assert.Equal(new Uri("https://studio.example/img/cy.jpg"), Assert.Single(cy.Images).Url);

        var bo = _extractor.Extract(html, new Uri("https://studio.example/#bo"), new ArtistHint(null, null));
        Assert.Equal("Bo Lines", bo.Name);
        Assert.Equal("dotwork", StyleInference.ForImage(Assert.Single(bo.Images)));
    }

    [Fact]
    public void A_json_ld_person_is_preferred_over_the_markup()
    {
        const string html = """
            <head><script type="application/ld+json">{ not json</script>
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"Person","name":"Dee Realism","description":"Portraits.",
            "image":{"@type":"ImageObject","url":"/p/dee.png"},"url":"https://dee.example/","sameAs":["https://www.instagram.com/dee.real/"]}</script></head>
            <body><h1>Our artists</h1></body>
            """;

        var artist = _extractor.Extract(html, Page, new ArtistHint("Someone Else", null));

        Assert.Equal("Dee Realism", artist.Name);
        Assert.Equal("Portraits.", artist.Bio);
        Assert.Equal(new Uri("https://studio.example/p/dee.png"), artist.Avatar);
        Assert.Equal("dee.real", artist.InstagramHandle);
        Assert.Equal(new Uri("https://dee.example/"), artist.Website);
    }

    [Theory]
    [InlineData("https://www.instagram.com/p/Cx123/", null)]
    [InlineData("https://www.instagram.com/explore/", null)]
    [InlineData("https://www.instagram.com/.hidden/", null)]
    [InlineData("https://www.instagram.com/a..b/", null)]
    [InlineData("https://www.instagram.com/this_handle_is_far_too_long_for_ig/", null)]
    [InlineData("https://evil.example/instagram.com/ada", null)]
    [InlineData("https://instagram.com/Ada_Ink", "ada_ink")]
    [InlineData("https://m.instagram.com/ada.ink?igsh=x", "ada.ink")]
    public void Only_well_formed_instagram_profile_links_give_a_handle(string href, string? handle) =>
        Assert.Equal(handle, InstagramLinks.HandleOf(href));

    [Fact]
    public void At_most_the_configured_number_of_images_is_taken()
    {
        var figures = string.Concat(Enumerable.Range(0, 20).Select(i => $"<figure><img src=\"/img/{i}.jpg\" alt=\"piece {i}\"></figure>"));

        var artist = new ArtistPageExtractor(maxImages: 5).Extract($"<h1>Ada</h1>{figures}", Page, new ArtistHint(null, null));

        Assert.Equal(5, artist.Images.Count);
        Assert.Equal(new Uri("https://studio.example/img/4.jpg"), artist.Images[^1].Url);
    }

    [Theory]
    [InlineData("<h1>Ada<p><b><i>Bio</b></i><img src=/x.jpg alt=\"blackwork\"><!-- never ends")]
    [InlineData("<<<>>><html><html><body></head><td><tr><table></div></span>")]
    [InlineData("\0\0\u0001<script>while(true){}</script><style>")]
    [InlineData("")]
    public void Malformed_html_never_throws(string html)
    {
        var artist = _extractor.Extract(html, Page, new ArtistHint("Hint Name", "hint.handle"));

        Assert.NotNull(artist.Name);
    }

    [Fact]
    public void An_artist_names_every_style_of_bio_and_images_the_most_frequent_first()
    {
        var styles = StyleInference.ForArtist("Fine line and blackwork. #fineline #blackwork", ["japanese", "blackwork", null, "blackwork"]);

        Assert.Equal(["blackwork", "fineline", "japanese"], styles);
    }
}
