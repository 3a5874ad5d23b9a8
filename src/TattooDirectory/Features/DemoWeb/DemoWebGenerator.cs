using System.Text.RegularExpressions;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// The demo web's studios, artists and portfolios: the seed generator's fictional people and
/// artwork, dressed as websites. Pure function of the options.
/// </summary>
internal static partial class DemoWebGenerator
{
    /// <summary>Instagram's portrait crop: portfolios look like what artists actually post.</summary>
    public const int ImageWidth = 1080;
    public const int LargeImageWidth = 4800;
    public const int PixelBombSide = 16_000;

    // The demo web continues the bundled seed dataset: demo studio n is seed studio 64 + n and its
    // artists follow seed artist 320, so a directory seeded with the bundle and then aggregated
    // from the demo web never holds the same person, handle or id twice.
    private static readonly long StudioOffset = new SeedOptions().Studios;
    private static readonly long ArtistOffset = new SeedOptions().Artists;

    // "DemoWeb" in ASCII: the demo's own choices never share random bits with the seed's.
    private const ulong DemoKey = 0x44656D6F576562;

    // Every layout in any eight consecutive studios; instagram-only sites are the rarest.
    private static readonly SiteLayout[] LayoutCycle =
    [
        SiteLayout.ArtistsPage, SiteLayout.TeamPage, SiteLayout.JsonLd, SiteLayout.OnePage,
        SiteLayout.ArtistsPage, SiteLayout.JsonLd, SiteLayout.TeamPage, SiteLayout.InstagramOnly,
    ];

    // Every third studio from the third has an unusual robots.txt, so all of them fit in 18 studios.
    private static readonly RobotsVariant[] UnusualRobots =
    [
        RobotsVariant.DisallowPrivate, RobotsVariant.CrawlDelay, RobotsVariant.NotFound,
        RobotsVariant.ServerError, RobotsVariant.DisallowAll, RobotsVariant.OnlyOurBot,
    ];

    private static readonly PageFault[] PageFaults =
    [
        PageFault.ServerError, PageFault.Slow, PageFault.RedirectLoop, PageFault.PrivateRedirect,
        PageFault.MetadataRedirect, PageFault.Huge, PageFault.Malformed, PageFault.DeadLink,
    ];

    private static readonly ImageFault[] ImageFaults =
        [ImageFault.Large, ImageFault.Corrupt, ImageFault.WrongContentType, ImageFault.Large, ImageFault.PixelBomb, ImageFault.Large];

    /// <summary>Every fifth scrapable artist carries the next image fault, spreading them over studios.</summary>
    private const int ImageFaultSpacing = 5;

    // Aliases that name their style and nothing else ("japanese traditional" would also say "traditional").
    private static readonly Dictionary<string, string[]> HashtagAliases = StyleVocabulary.All.ToDictionary(
        s => s.Id,
        s => s.Aliases.Where(a => StyleVocabulary.InferFrom(a) is [var only] && only == s.Id).ToArray(),
        StringComparer.Ordinal);

    // The ones people also write as words in a sentence: "neo trad", "dot work", not "dotworktattoo".
    private static readonly Dictionary<string, string[]> WordAliases = HashtagAliases.ToDictionary(
        p => p.Key,
        p => p.Value.Where(a => !a.EndsWith("tattoo", StringComparison.Ordinal) && !a.Contains('_', StringComparison.Ordinal)).ToArray(),
        StringComparer.Ordinal);

    /// <summary>Studios the discovery sources know that have no website: found, then skipped.</summary>
    public const int StudiosWithoutWebsite = 2;

    public static DemoWebContent Generate(DemoWebOptions options)
    {
        options.Validate();
        var studios = new StudioFactory(options.Seed);
        var artists = new ArtistFactory(new SeedOptions(Seed: options.Seed));
        var key = SeedRandom.Mix(options.Seed ^ DemoKey);
        var faults = new FaultPlan();
        var result = new List<DemoStudio>(options.Studios);
        var nextArtist = ArtistOffset;
        for (var i = 0; i < options.Studios; i++)
        {
            var rng = SeedRandom.For(key, (ulong)i);
            var (place, site) = Locate(studios, i);
            var layout = LayoutCycle[i % LayoutCycle.Length];
            var robots = i % 3 == 2 && i / 3 < UnusualRobots.Length ? UnusualRobots[i / 3] : RobotsVariant.AllowAll;
            var crawlable = DemoStudio.AllowsCrawling(robots);
            var members = new DemoArtist[1 + rng.Next(8)];
            // The last artist of a site with artist pages takes the next page fault, while any are left.
            var faultyArtist = DemoStudio.GivesArtistPages(layout) && crawlable ? members.Length - 1 : -1;
            for (var a = 0; a < members.Length; a++)
            {
                var index = nextArtist++;
                var stream = artists.StreamFor(index);
                var seeded = artists.Create(index, ref stream, site);
                var fault = a == faultyArtist ? faults.NextPageFault() : PageFault.None;
                var scrapable = layout != SiteLayout.InstagramOnly && crawlable && fault is PageFault.None or PageFault.Malformed;
                var images = layout == SiteLayout.InstagramOnly ? [] : Portfolio(seeded, place.Studio.City, scrapable ? faults.NextImageFault() : null, options.MaxImagesPerArtist, ref rng);
                members[a] = new DemoArtist(
                    seeded.Artist with { WebsiteUrl = null },
                    Slug.Hyphenated(seeded.Artist.Name),
                    fault,
                    (InstagramLink)(index % 3),
                    seeded.Avatar,
                    images);
            }
            result.Add(new DemoStudio(place, layout, robots, members));
        }
        var withoutWebsite = Enumerable.Range(options.Studios, StudiosWithoutWebsite).Select(i => Locate(studios, i).Place).ToArray();
        return new DemoWebContent(result, withoutWebsite);
    }

    private static (DemoPlace Place, StudioSite Site) Locate(StudioFactory studios, int index)
    {
        // The site's address is only known once its port is bound; the seed's .example one would mislead.
        var studio = studios.Create(StudioOffset + index) with { WebsiteUrl = null };
        var site = studios.Site(StudioOffset + index);
        var (houseNumber, street) = SplitAddress(studio.Address);
        return (new DemoPlace(index, studio, site.District.Locality ?? site.City, street, houseNumber), site);
    }

    /// <summary>Hands out each fault once, in order: page faults to sites as they come, image faults to every fifth scrapable artist.</summary>
    private sealed class FaultPlan
    {
        private readonly Queue<PageFault> pageFaults = new(PageFaults);
        private readonly Queue<ImageFault> imageFaults = new(ImageFaults);
        private int scrapable;

        public PageFault NextPageFault() => pageFaults.TryDequeue(out var fault) ? fault : PageFault.None;

        public ImageFault? NextImageFault() => scrapable++ % ImageFaultSpacing == 1 && imageFaults.TryDequeue(out var fault) ? fault : null;
    }

    /// <summary>
    /// The seed's portfolio, labelled the three ways real sites do: the caption as alt text;
    /// a plain alt with the caption and hashtags underneath; or a bare alias ("neo trad").
    /// The second image of a chosen artist carries <paramref name="fault"/>.
    /// </summary>
    private static DemoImage[] Portfolio(SeedArtist seeded, string city, ImageFault? fault, int max, ref SeedRandom rng)
    {
        var first = seeded.Artist.Name.Split(' ')[0];
        var cityTag = "#" + Slug.Letters(city) + "tattoo";
        var images = new DemoImage[Math.Min(max, seeded.Images.Count)];
        for (var p = 0; p < images.Length; p++)
        {
            var seedImage = seeded.Images[p];
            var style = StyleVocabulary.TryGet(seedImage.Image.Style ?? "", out var s) ? s : throw new InvalidOperationException("Seed images always carry a style.");
            var caption = seedImage.Image.Caption ?? style.Name;
            var (alt, figcaption) = rng.Next(3) switch
            {
                0 => (caption, (string?)null),
                1 => ($"Portfolio piece {p + 1} by {first}", $"{caption} #{Slug.Letters(PickAlias(HashtagAliases, style, ref rng))} {cityTag}"),
                _ => ($"{PickAlias(WordAliases, style, ref rng)} piece by {first}", null),
            };
            var imageFault = p == 1 && fault is { } f ? f : ImageFault.None;
            var format = imageFault == ImageFault.PixelBomb || rng.Chance(0.25) ? ImageFormat.Png : ImageFormat.Jpeg;
            if (imageFault is ImageFault.Corrupt or ImageFault.WrongContentType or ImageFault.Large) format = ImageFormat.Jpeg;
            var width = imageFault switch
            {
                ImageFault.Large => LargeImageWidth,
                ImageFault.PixelBomb => PixelBombSide,
                _ => ImageWidth,
            };
            var height = imageFault == ImageFault.PixelBomb ? PixelBombSide : width * seedImage.Image.Height / seedImage.Image.Width;
            images[p] = new DemoImage(seedImage.Image.ImageId, style, alt, figcaption, format, width, height, imageFault, rng.NextUInt64());
        }
        return images;
    }

    private static string PickAlias(Dictionary<string, string[]> aliases, Style style, ref SeedRandom rng) =>
        aliases[style.Id] is { Length: > 0 } choices ? rng.Pick(choices) : style.Name;

    /// <summary>"Unit 3, 12 Mill Street, Headingley" → ("12", "Mill Street"), for OpenStreetMap's addr:* tags.</summary>
    private static (string HouseNumber, string Street) SplitAddress(string address)
    {
        var match = StreetLine().Match(address);
        return match.Success ? (match.Groups["number"].Value, match.Groups["street"].Value) : ("", address);
    }

    [GeneratedRegex(@"^(?:[^,]*, )?(?<number>\d+) (?<street>[^,]+),")]
    private static partial Regex StreetLine();
}
