using System.Text.Json;
using System.Text.Json.Serialization;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// What a scrape of the demo web should find, served at <c>/manifest.json</c> on the control port.
/// URLs are absolute for the ports this run was given; everything else is the same on every run.
/// </summary>
public sealed record DemoWebManifest(
    ulong Seed,
    string ControlUrl,
    DemoWebEndpoints Endpoints,
    IReadOnlyList<string> AllowedHosts,
    IReadOnlyList<ManifestSite> Sites,
    IReadOnlyList<ManifestListing> WithoutWebsite);

public sealed record DemoWebEndpoints(string Overpass, string Places, string StaticList, string Manifest);

public sealed record ManifestSite(
    int Index,
    string StudioId,
    string Name,
    string City,
    string Postcode,
    double Lat,
    double Lon,
    string BaseUrl,
    SiteLayout Layout,
    ManifestRobots Robots,
    IReadOnlyList<ManifestPage> Pages,
    IReadOnlyList<ManifestArtist> Artists);

/// <param name="DisallowedForUs">Path prefixes TattooDirectoryBot must not fetch ("/" for the whole site).</param>
public sealed record ManifestRobots(RobotsVariant Variant, int Status, int? CrawlDelaySeconds, IReadOnlyList<string> DisallowedForUs);

/// <param name="Location">Where a redirect points.</param>
public sealed record ManifestPage(string Url, PageKind Kind, int Status, string ContentType, string? Location, PageFault Fault);

/// <summary>What a polite, safe scraper ends up with for an artist.</summary>
public enum ArtistOutcome
{
    /// <summary>Name, bio, avatar, Instagram handle, the usable images and their styles.</summary>
    Scraped,

    /// <summary>Name and Instagram handle from the studio page; Instagram itself is never scraped.</summary>
    HandleOnly,

    /// <summary>The artist's page is linked, but fetching it fails (error, timeout, loop, forbidden redirect, too large).</summary>
    PageFails,

    /// <summary>robots.txt forbids the studio's site, so the artist is never even seen.</summary>
    NotCrawled,
}

/// <param name="PageUrl">Null where the artist has no page of their own (one-page and Instagram-only sites).</param>
/// <param name="Styles">The artist's styles: the bio's hashtags name them all.</param>
public sealed record ManifestArtist(
    string ArtistId,
    string Name,
    string Slug,
    string InstagramHandle,
    string InstagramUrl,
    string? PageUrl,
    string? AvatarUrl,
    string? Bio,
    IReadOnlyList<string> Styles,
    PageFault Fault,
    ArtistOutcome Expect,
    IReadOnlyList<ManifestImage> Images);

/// <param name="Style">The style the alt text or caption names (through a vocabulary alias or hashtag).</param>
/// <param name="Usable">Whether a scraper should end up storing it: false for corrupt, mislabelled and bomb images.</param>
public sealed record ManifestImage(
    string Url,
    ImageFormat Format,
    string ContentType,
    int Width,
    int Height,
    string Style,
    string Alt,
    string? Caption,
    ImageFault Fault,
    bool Usable);

/// <summary>A studio the discovery sources list without a website.</summary>
public sealed record ManifestListing(string StudioId, string Name, string City);

/// <summary>One entry of the plain static list at <c>/studios.json</c>.</summary>
public sealed record StaticStudio(string Name, string Website, string City, string Address, string Postcode, double Lat, double Lon, string? Instagram);

public sealed record StaticStudioList(IReadOnlyList<StaticStudio> Studios);

/// <summary>A site as this run serves it.</summary>
internal sealed record BoundSite(DemoSite Site, Uri Uri);

internal static class DemoWebManifests
{
    public static DemoWebManifest Build(ulong seed, Uri control, IReadOnlyList<string> allowedHosts, IReadOnlyList<BoundSite> sites, IReadOnlyList<DemoPlace> withoutWebsite) => new(
        seed,
        control.AbsoluteUri,
        new DemoWebEndpoints(Url(control, "api/interpreter"), Url(control, "v1/places:searchText"), Url(control, "studios.json"), Url(control, "manifest.json")),
        allowedHosts,
        [.. sites.Select(Site)],
        [.. withoutWebsite.Select(p => new ManifestListing(p.Studio.StudioId, p.Studio.Name, p.Studio.City))]);

    public static StaticStudioList StaticList(IReadOnlyList<BoundSite> sites) => new([.. sites.Select(b =>
    {
        var s = b.Site.Studio.Studio;
        return new StaticStudio(s.Name, b.Uri.AbsoluteUri, s.City, s.Address, s.Postcode, s.Geo.Lat, s.Geo.Lon, s.InstagramHandle);
    })]);

    private static ManifestSite Site(BoundSite bound)
    {
        var (site, uri) = bound;
        var studio = site.Studio;
        var robots = site.Route("/robots.txt")!;
        return new ManifestSite(
            studio.Index,
            studio.Studio.StudioId,
            studio.Studio.Name,
            studio.Studio.City,
            studio.Studio.Postcode,
            studio.Studio.Geo.Lat,
            studio.Studio.Geo.Lon,
            uri.AbsoluteUri,
            studio.Layout,
            new ManifestRobots(studio.Robots, robots.Status, studio.Robots == RobotsVariant.CrawlDelay ? DemoSite.CrawlDelaySeconds : null, DemoSite.DisallowedForUs(studio.Robots)),
            [.. site.Routes.Select(r => new ManifestPage(Url(uri, r.Path), r.Kind, r.Status, r.ContentType, (r as RedirectRoute)?.Location, r.Fault))],
            [.. studio.Artists.Select(a => Artist(studio, a, uri))]);
    }

    private static ManifestArtist Artist(DemoStudio studio, DemoArtist artist, Uri site)
    {
        var a = artist.Artist;
        var expect = !studio.Crawlable ? ArtistOutcome.NotCrawled
            : studio.Layout == SiteLayout.InstagramOnly ? ArtistOutcome.HandleOnly
            : artist.Fault is PageFault.None or PageFault.Malformed ? ArtistOutcome.Scraped
            : ArtistOutcome.PageFails;
        return new ManifestArtist(
            a.ArtistId,
            a.Name,
            artist.Slug,
            a.InstagramHandle ?? "",
            artist.InstagramUrl,
            studio.HasArtistPages ? Url(site, artist.PagePath) : null,
            studio.ShowsPortfolios ? Url(site, artist.AvatarPath) : null,
            studio.ShowsPortfolios ? a.Bio : null,
            a.Styles,
            artist.Fault,
            expect,
            [.. artist.Images.Select(i => new ManifestImage(Url(site, i.Path), i.Format, i.ContentType, i.Width, i.Height, i.Style.Id, i.Alt, i.Caption, i.Fault, i.Fault is ImageFault.None or ImageFault.Large))]);
    }

    private static string Url(Uri baseUri, string path) => new Uri(baseUri, path).AbsoluteUri;
}

/// <summary>Kebab-case enum values ("instagram-only") in the manifest, as JSON APIs usually spell them.</summary>
internal sealed class KebabCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
    where TEnum : struct, Enum;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    Converters =
    [
        typeof(KebabCaseEnum<SiteLayout>), typeof(KebabCaseEnum<RobotsVariant>), typeof(KebabCaseEnum<PageFault>),
        typeof(KebabCaseEnum<ImageFault>), typeof(KebabCaseEnum<ImageFormat>), typeof(KebabCaseEnum<PageKind>),
        typeof(KebabCaseEnum<ArtistOutcome>),
    ])]
[JsonSerializable(typeof(DemoWebManifest))]
[JsonSerializable(typeof(StaticStudioList))]
internal sealed partial class DemoWebJson : JsonSerializerContext;
