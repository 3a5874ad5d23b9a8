using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// The HTML of the studio sites. Links are relative except where real sites write absolute
/// ones (JSON-LD, Instagram), so a page reads the same whichever port its site was given.
/// </summary>
internal static class DemoSitePages
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Home(DemoStudio studio, Uri site)
    {
        var s = studio.Studio;
        var body = new StringBuilder(4096);
        body.Append(Inv, $"<section class=\"intro\"><h1>{E(s.Name)}</h1><p>Custom tattooing in {E(studio.Place.Locality)}, {E(s.City)}. Consultations are free; deposits secure your date.</p>");
        switch (studio.Layout)
        {
            case SiteLayout.ArtistsPage:
                body.Append("<p><a class=\"button\" href=\"/artists\">Meet the artists</a></p></section>");
                break;
            case SiteLayout.TeamPage:
                body.Append("<p><a class=\"button\" href=\"/team\">Our team</a></p></section>");
                break;
            case SiteLayout.JsonLd:
                // Names without links: only the structured data says where each artist's page is.
                body.Append(Inv, $"<p>Resident artists: {E(string.Join(", ", studio.Artists.Select(a => a.Artist.Name)))}.</p></section>");
                break;
            case SiteLayout.OnePage:
                body.Append("</section><div id=\"artists\">");
                foreach (var artist in studio.Artists)
                {
                    body.Append(Inv, $"<section class=\"artist\" id=\"{artist.Slug}\"><h2>{E(artist.Artist.Name)}</h2>");
                    ArtistDetails(body, artist);
                    body.Append("</section>");
                }
                body.Append("</div>");
                break;
            case SiteLayout.InstagramOnly:
                body.Append("<h2>Find us on Instagram</h2><ul class=\"instagram\">");
                foreach (var artist in studio.Artists)
                {
                    body.Append(Inv, $"<li>{E(artist.Artist.Name)}: <a href=\"{E(artist.InstagramUrl)}\">@{E(artist.Artist.InstagramHandle ?? "")}</a></li>");
                }
                body.Append("</ul></section>");
                break;
        }
        var head = studio.Layout == SiteLayout.JsonLd ? JsonLdScript(DemoJsonLd.Studio(studio, site)) : "";
        return Page(studio, s.Name, head, body.ToString());
    }

    /// <summary>The <c>/artists</c> or <c>/team</c> page: a card per artist linking to their page.</summary>
    public static string ArtistIndex(DemoStudio studio)
    {
        var team = studio.Layout == SiteLayout.TeamPage;
        var body = new StringBuilder(2048);
        body.Append(Inv, $"<h1>{(team ? "The team" : "Artists")}</h1><ul class=\"{(team ? "team-grid" : "artist-list")}\">");
        foreach (var artist in studio.Artists)
        {
            body.Append(Inv, $"<li><a href=\"{artist.PagePath}\"><img src=\"{artist.AvatarPath}\" width=\"128\" height=\"128\" alt=\"\"><span>{E(artist.Artist.Name)}</span></a></li>");
        }
        body.Append("</ul>");
        return Page(studio, team ? "Team" : "Artists", "", body.ToString());
    }

    public static string Artist(DemoStudio studio, DemoArtist artist, Uri site)
    {
        var body = new StringBuilder(4096);
        body.Append(Inv, $"<article class=\"artist\"><h1>{E(artist.Artist.Name)}</h1>");
        ArtistDetails(body, artist);
        body.Append("</article>");
        var head = studio.Layout == SiteLayout.JsonLd ? JsonLdScript(DemoJsonLd.Person(studio, artist, site)) : "";
        return Page(studio, artist.Artist.Name, head, body.ToString());
    }

    /// <summary>
    /// The same content as <see cref="Artist"/> in markup a browser forgives: unquoted attributes,
    /// unclosed paragraphs, a wrong end tag, misnested inline tags, a bare ampersand, a stray end
    /// tag, no closing body or html, and a comment that never ends.
    /// </summary>
    public static string MalformedArtist(DemoStudio studio, DemoArtist artist)
    {
        var a = artist.Artist;
        var b = new StringBuilder(4096);
        b.Append(Inv, $"<html><head><title>{E(a.Name)} | {E(studio.Studio.Name)}</title><body bgcolor=#f6f1e9>");
        b.Append(Inv, $"<div class=artist><h1>{E(a.Name)}</h2>\n<p class=bio>{E(a.Bio)}\n");
        b.Append(Inv, $"<p><b><i>Book in & say hi</b></i>: <a href={artist.InstagramUrl}>Instagram</a>\n</span>");
        b.Append(Inv, $"<p><img src={artist.AvatarPath} width=256 height=256 alt=\"{E(a.Name)}\">\n<table class=portfolio><tr>");
        foreach (var image in artist.Images)
        {
            b.Append(Inv, $"<td><figure><img src={image.Path} width={image.Width} height={image.Height} alt=\"{E(image.Alt)}\">");
            if (image.Caption is { } caption) b.Append(Inv, $"<figcaption>{E(caption)}</td></figure>\n");
            else b.Append("</td>\n");
        }
        return b.Append("</div>\n<!-- TODO: fix the gallery markup").ToString();
    }

    /// <summary>The start of the huge page: a real artist page whose body never seems to end.</summary>
    public static string HugeArtistStart(DemoStudio studio, DemoArtist artist, Uri site)
    {
        var page = Artist(studio, artist, site);
        return page[..page.LastIndexOf("</main>", StringComparison.Ordinal)] + "<section class=\"archive\">";
    }

    /// <summary>One block of the huge page's filler; repeated until the page is as big as asked.</summary>
    public static string HugeFiller(int block) =>
        string.Create(Inv, $"<p id=\"post-{block}\">From the archive, post {block}: flash day photos, aftercare reminders and studio news. ") +
        string.Concat(Enumerable.Repeat("Thanks to everyone who came down and sat so well. ", 60)) + "</p>\n";

    public static string Contact(DemoStudio studio)
    {
        var s = studio.Studio;
        var body = string.Create(Inv, $"<h1>Contact</h1><p>Call {E(s.Phone ?? "")} or email <a href=\"mailto:{E(s.Email ?? "")}\">{E(s.Email ?? "")}</a>.</p><p>Deposits are non-refundable. You must be 18 or over with photo ID.</p>");
        return Page(studio, "Contact", "", body);
    }

    /// <summary>What robots.txt keeps crawlers out of.</summary>
    public static string Private(DemoStudio studio) =>
        Page(studio, "Staff area", "<meta name=\"robots\" content=\"noindex\">", "<h1>Staff area</h1><p>Rota and stock orders. Sign in to continue.</p>");

    public static string Error(int status, string message) =>
        string.Create(Inv, $"<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{status}</title></head><body><h1>{status}</h1><p>{E(message)}</p></body></html>");

    /// <summary>The control port's front page: what is being served, for a person with a browser.</summary>
    public static string ControlIndex(DemoWebManifest manifest)
    {
        var b = new StringBuilder(8192);
        b.Append("<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Tattoo Directory demo web</title></head><body><h1>Tattoo Directory demo web</h1>");
        b.Append(Inv, $"<p>{manifest.Sites.Count} fictional studio sites. <a href=\"/manifest.json\">Manifest</a> · <a href=\"/studios.json\">Static list</a></p>");
        b.Append("<table><thead><tr><th>Studio</th><th>City</th><th>Layout</th><th>robots.txt</th><th>Artists</th></tr></thead><tbody>");
        foreach (var site in manifest.Sites)
        {
            b.Append(Inv, $"<tr><td><a href=\"{E(site.BaseUrl)}\">{E(site.Name)}</a></td><td>{E(site.City)}</td><td>{site.Layout}</td><td>{site.Robots.Variant}</td><td>{site.Artists.Count}</td></tr>");
        }
        return b.Append("</tbody></table></body></html>").ToString();
    }

    private static void ArtistDetails(StringBuilder body, DemoArtist artist)
    {
        var a = artist.Artist;
        body.Append(Inv, $"<img class=\"avatar\" src=\"{artist.AvatarPath}\" width=\"256\" height=\"256\" alt=\"{E(a.Name)}\">");
        body.Append(Inv, $"<p class=\"bio\">{E(a.Bio)}</p>");
        body.Append(Inv, $"<p class=\"social\"><a href=\"{E(artist.InstagramUrl)}\" rel=\"me\">@{E(a.InstagramHandle ?? "")} on Instagram</a></p>");
        if (artist.Images.Count == 0) return;
        body.Append("<div class=\"portfolio\">");
        foreach (var image in artist.Images)
        {
            body.Append(Inv, $"<figure><img src=\"{image.Path}\" width=\"{image.Width}\" height=\"{image.Height}\" alt=\"{E(image.Alt)}\" loading=\"lazy\">");
            if (image.Caption is { } caption) body.Append(Inv, $"<figcaption>{E(caption)}</figcaption>");
            body.Append("</figure>");
        }
        body.Append("</div>");
    }

    private static string Page(DemoStudio studio, string title, string head, string main)
    {
        var s = studio.Studio;
        var nav = studio.Layout switch
        {
            SiteLayout.ArtistsPage => "<a href=\"/\">Home</a> <a href=\"/artists\">Artists</a> <a href=\"/contact\">Contact</a>",
            SiteLayout.TeamPage => "<a href=\"/\">Home</a> <a href=\"/team\">Team</a> <a href=\"/contact\">Contact</a>",
            SiteLayout.OnePage => "<a href=\"#artists\">Artists</a> <a href=\"/contact\">Contact</a>",
            _ => "<a href=\"/\">Home</a> <a href=\"/contact\">Contact</a>",
        };
        var staff = studio.Robots == RobotsVariant.DisallowPrivate ? " <a href=\"/private/\">Staff</a>" : "";
        var fullTitle = title == s.Name ? s.Name : $"{title} | {s.Name}";
        return string.Create(Inv, $$"""
            <!doctype html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{E(fullTitle)}}</title>
            <style>body{font-family:Georgia,serif;margin:0 auto;max-width:60rem;padding:1rem}figure{display:inline-block;width:18rem}img{max-width:100%;height:auto}</style>{{head}}</head>
            <body class="layout-{{studio.Layout.ToString().ToLowerInvariant()}}">
            <header><a class="brand" href="/">{{E(s.Name)}}</a><nav>{{nav}}</nav></header>
            <main>{{main}}</main>
            <footer><p>{{E(s.Address)}}, {{E(s.Postcode)}}</p><p>{{E(string.Join(" · ", s.OpeningHours))}}</p><p>© {{E(s.Name)}}{{staff}}</p></footer>
            </body>
            </html>
            """);
    }

    private static string JsonLdScript(string json) => $"<script type=\"application/ld+json\">{json}</script>";

    // Only markup characters are escaped: "Zoë" and "Tue–Sat" stay readable in the source, as on real sites.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string text) => Encoder.Encode(text);
}
