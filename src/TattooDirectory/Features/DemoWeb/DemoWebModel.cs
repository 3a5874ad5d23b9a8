using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>How a studio site shows its artists, as real studio sites variously do.</summary>
public enum SiteLayout
{
    /// <summary>An <c>/artists</c> page linking to <c>/artists/{slug}</c>.</summary>
    ArtistsPage,

    /// <summary>A <c>/team</c> page linking to <c>/artists/{slug}</c>.</summary>
    TeamPage,

    /// <summary>Everything on the home page: one section per artist with bio, Instagram link and portfolio.</summary>
    OnePage,

    /// <summary>Artists found only through schema.org JSON-LD (<c>TattooParlor.employee</c>, <c>Person.worksFor</c>, <c>sameAs</c>).</summary>
    JsonLd,

    /// <summary>No artist pages at all: only links to the artists' Instagram profiles.</summary>
    InstagramOnly,
}

/// <summary>What <c>/robots.txt</c> answers.</summary>
public enum RobotsVariant
{
    AllowAll,
    DisallowPrivate,
    CrawlDelay,

    /// <summary>404: RFC 9309 says crawl everything.</summary>
    NotFound,

    /// <summary>500: RFC 9309 says crawl nothing.</summary>
    ServerError,
    DisallowAll,

    /// <summary>Everyone else is disallowed; the TattooDirectoryBot group allows all.</summary>
    OnlyOurBot,
}

/// <summary>What goes wrong with an artist's page.</summary>
public enum PageFault
{
    None,
    ServerError,

    /// <summary>Answers only after <see cref="DemoWebOptions.SlowResponseDelay"/>.</summary>
    Slow,

    /// <summary><c>/artists/x</c> and <c>/artists/x/</c> redirect to each other.</summary>
    RedirectLoop,

    /// <summary>Redirects to <c>http://10.0.0.1/</c>: the fetcher must refuse to follow.</summary>
    PrivateRedirect,

    /// <summary>Redirects to the cloud metadata address 169.254.169.254.</summary>
    MetadataRedirect,

    /// <summary>A real page followed by megabytes of filler, streamed without a Content-Length.</summary>
    Huge,

    /// <summary>Unclosed and misnested tags; a lenient HTML parser still finds everything.</summary>
    Malformed,

    /// <summary>Linked from the studio, but the page is gone (404).</summary>
    DeadLink,
}

public enum ImageFault
{
    None,

    /// <summary>4,800 px wide: must be scaled down.</summary>
    Large,

    /// <summary>Starts like a JPEG, then garbage: no decoder can read it.</summary>
    Corrupt,

    /// <summary>A real JPEG served as text/html.</summary>
    WrongContentType,

    /// <summary>A tiny PNG file that decodes to 256 megapixels: a decompression bomb.</summary>
    PixelBomb,
}

public enum ImageFormat
{
    Jpeg,
    Png,
}

/// <summary>A studio as the discovery sources list it: who, where, and how OpenStreetMap maps it.</summary>
internal sealed record DemoPlace(int Index, Studio Studio, string Locality, string Street, string HouseNumber)
{
    /// <summary>Some OpenStreetMap studios are mapped as buildings (ways), most as points (nodes).</summary>
    public bool MappedAsWay => Index % 4 == 3;
}

/// <summary>One generated studio and the site that presents it.</summary>
internal sealed record DemoStudio(DemoPlace Place, SiteLayout Layout, RobotsVariant Robots, IReadOnlyList<DemoArtist> Artists)
{
    public int Index => Place.Index;

    public Studio Studio => Place.Studio;

    /// <summary>The layouts that give each artist a page of their own.</summary>
    public bool HasArtistPages => GivesArtistPages(Layout);

    public bool ShowsPortfolios => Layout is not SiteLayout.InstagramOnly;

    /// <summary>Whether robots.txt lets any crawler read the site (RFC 9309: a 5xx robots.txt means no).</summary>
    public bool Crawlable => AllowsCrawling(Robots);

    public static bool GivesArtistPages(SiteLayout layout) => layout is SiteLayout.ArtistsPage or SiteLayout.TeamPage or SiteLayout.JsonLd;

    public static bool AllowsCrawling(RobotsVariant robots) => robots is not (RobotsVariant.ServerError or RobotsVariant.DisallowAll);
}

/// <summary>The whole demo web: the studio sites, and studios the discovery sources list without a website.</summary>
internal sealed record DemoWebContent(IReadOnlyList<DemoStudio> Sites, IReadOnlyList<DemoPlace> WithoutWebsite);

/// <summary>How an artist's Instagram profile is linked: sites copy the URL every which way.</summary>
internal enum InstagramLink
{
    Canonical,
    NoWww,
    WithQuery,
}

internal sealed record DemoArtist(Artist Artist, string Slug, PageFault Fault, InstagramLink InstagramLink, SeedBlob Avatar, IReadOnlyList<DemoImage> Images)
{
    public string AvatarPath => $"/avatars/{Slug}.png";

    public string PagePath => $"/artists/{Slug}";

    public string InstagramUrl => InstagramLink switch
    {
        InstagramLink.NoWww => $"https://instagram.com/{Artist.InstagramHandle}",
        InstagramLink.WithQuery => $"https://www.instagram.com/{Artist.InstagramHandle}/?hl=en",
        _ => $"https://www.instagram.com/{Artist.InstagramHandle}/",
    };
}

/// <summary>A portfolio image: artwork of its style, served as a raster file.</summary>
/// <param name="Look">Random bits choosing which drawing of the style, mirrored or not and how tinted.</param>
internal sealed record DemoImage(string ImageId, Style Style, string Alt, string? Caption, ImageFormat Format, int Width, int Height, ImageFault Fault, ulong Look)
{
    public string Path => $"/images/{ImageId}.{(Format == ImageFormat.Png ? "png" : "jpg")}";

    public string ContentType => Fault == ImageFault.WrongContentType ? "text/html; charset=utf-8" : Format == ImageFormat.Png ? "image/png" : "image/jpeg";
}
