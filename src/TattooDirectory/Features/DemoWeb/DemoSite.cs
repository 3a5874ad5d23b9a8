using System.Collections.Frozen;

namespace TattooDirectory.Features.DemoWeb;

public enum PageKind
{
    Robots,
    Home,
    ArtistIndex,
    Artist,
    Contact,
    Private,
}

/// <summary>One path of a studio site and what it answers. The server and the manifest both read these, so they cannot disagree.</summary>
internal abstract record SiteRoute(string Path, PageKind Kind, int Status, string ContentType)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Text = "text/plain; charset=utf-8";

    public PageFault Fault { get; init; }
}

internal sealed record HtmlRoute(string Path, PageKind Kind, int Status, Func<Uri, string> Render) : SiteRoute(Path, Kind, Status, Html);

internal sealed record TextRoute(string Path, PageKind Kind, string Body) : SiteRoute(Path, Kind, 200, Text);

internal sealed record RedirectRoute(string Path, PageKind Kind, string Location) : SiteRoute(Path, Kind, 301, Html);

/// <summary>Answers like <see cref="Inner"/>, but only after the configured delay.</summary>
internal sealed record SlowRoute(HtmlRoute Inner) : SiteRoute(Inner.Path, Inner.Kind, Inner.Status, Html);

/// <summary>An artist page that goes on for megabytes.</summary>
internal sealed record HugeRoute(string Path, DemoStudio Studio, DemoArtist Artist) : SiteRoute(Path, PageKind.Artist, 200, Html);

/// <summary>A studio's website: its routes, built once from the generated studio.</summary>
internal sealed class DemoSite
{
    public const string ProductToken = "TattooDirectoryBot";
    public const int CrawlDelaySeconds = 2;
    public const string PrivatePath = "/private/";

    private readonly FrozenDictionary<string, SiteRoute> byPath;
    private readonly FrozenDictionary<string, DemoImage> images;
    private readonly FrozenDictionary<string, DemoArtist> avatars;

    public DemoSite(DemoStudio studio)
    {
        Studio = studio;
        Routes = [.. BuildRoutes(studio)];
        byPath = Routes.ToFrozenDictionary(r => r.Path, StringComparer.Ordinal);
        var portfolios = studio.ShowsPortfolios ? studio.Artists : [];
        images = portfolios.SelectMany(a => a.Images).ToFrozenDictionary(i => i.Path, StringComparer.Ordinal);
        avatars = portfolios.ToFrozenDictionary(a => a.AvatarPath, StringComparer.Ordinal);
    }

    public DemoStudio Studio { get; }

    /// <summary>Every page of the site (images and avatars aside), in a stable order.</summary>
    public IReadOnlyList<SiteRoute> Routes { get; }

    public SiteRoute? Route(string path) => byPath.GetValueOrDefault(path);

    public DemoImage? Image(string path) => images.GetValueOrDefault(path);

    public DemoArtist? Avatar(string path) => avatars.GetValueOrDefault(path);

    /// <summary>The paths robots.txt keeps <see cref="ProductToken"/> out of ("/" for everything).</summary>
    public static IReadOnlyList<string> DisallowedForUs(RobotsVariant robots) => robots switch
    {
        RobotsVariant.DisallowPrivate => [PrivatePath],
        RobotsVariant.ServerError or RobotsVariant.DisallowAll => ["/"],
        _ => [],
    };

    private static IEnumerable<SiteRoute> BuildRoutes(DemoStudio studio)
    {
        yield return Robots(studio.Robots);
        yield return new HtmlRoute("/", PageKind.Home, 200, site => DemoSitePages.Home(studio, site));
        yield return new HtmlRoute("/contact", PageKind.Contact, 200, _ => DemoSitePages.Contact(studio));
        if (studio.Robots == RobotsVariant.DisallowPrivate)
        {
            yield return new HtmlRoute(PrivatePath, PageKind.Private, 200, _ => DemoSitePages.Private(studio));
        }
        if (studio.Layout is SiteLayout.ArtistsPage or SiteLayout.TeamPage)
        {
            var path = studio.Layout == SiteLayout.TeamPage ? "/team" : "/artists";
            yield return new HtmlRoute(path, PageKind.ArtistIndex, 200, _ => DemoSitePages.ArtistIndex(studio));
        }
        if (!studio.HasArtistPages) yield break;
        foreach (var artist in studio.Artists)
        {
            foreach (var route in ArtistRoutes(studio, artist)) yield return route with { Fault = artist.Fault };
        }
    }

    private static IEnumerable<SiteRoute> ArtistRoutes(DemoStudio studio, DemoArtist artist)
    {
        var path = artist.PagePath;
        var page = new HtmlRoute(path, PageKind.Artist, 200, site => DemoSitePages.Artist(studio, artist, site));
        switch (artist.Fault)
        {
            case PageFault.None:
                yield return page;
                break;
            case PageFault.Malformed:
                yield return page with { Render = _ => DemoSitePages.MalformedArtist(studio, artist) };
                break;
            case PageFault.ServerError:
                yield return page with { Status = 500, Render = _ => DemoSitePages.Error(500, "Something went wrong. Please try again later.") };
                break;
            case PageFault.DeadLink:
                yield return page with { Status = 404, Render = _ => DemoSitePages.Error(404, "This artist has moved on.") };
                break;
            case PageFault.Slow:
                yield return new SlowRoute(page);
                break;
            case PageFault.Huge:
                yield return new HugeRoute(path, studio, artist);
                break;
            case PageFault.RedirectLoop:
                // The classic trailing-slash loop: each form insists on the other.
                yield return new RedirectRoute(path, PageKind.Artist, path + "/");
                yield return new RedirectRoute(path + "/", PageKind.Artist, path);
                break;
            case PageFault.PrivateRedirect:
                yield return new RedirectRoute(path, PageKind.Artist, "http://10.0.0.1" + path);
                break;
            case PageFault.MetadataRedirect:
                yield return new RedirectRoute(path, PageKind.Artist, "http://169.254.169.254/latest/meta-data/");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(artist), artist.Fault, "Unknown page fault.");
        }
    }

    private static SiteRoute Robots(RobotsVariant variant) => variant switch
    {
        RobotsVariant.AllowAll => new TextRoute("/robots.txt", PageKind.Robots, "User-agent: *\nAllow: /\n"),
        RobotsVariant.DisallowPrivate => new TextRoute("/robots.txt", PageKind.Robots, $"# Staff only\nUser-agent: *\nDisallow: {PrivatePath}\n"),
        RobotsVariant.CrawlDelay => new TextRoute("/robots.txt", PageKind.Robots, $"User-agent: *\nCrawl-delay: {CrawlDelaySeconds}\nDisallow:\n"),
        RobotsVariant.DisallowAll => new TextRoute("/robots.txt", PageKind.Robots, "User-agent: *\nDisallow: /\n"),
        RobotsVariant.OnlyOurBot => new TextRoute("/robots.txt", PageKind.Robots, $"User-agent: {ProductToken}\nAllow: /\n\nUser-agent: *\nDisallow: /\n"),
        RobotsVariant.ServerError => new HtmlRoute("/robots.txt", PageKind.Robots, 500, _ => DemoSitePages.Error(500, "Internal Server Error")),
        RobotsVariant.NotFound => new HtmlRoute("/robots.txt", PageKind.Robots, 404, _ => DemoSitePages.Error(404, "Not found")),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown robots variant."),
    };
}
