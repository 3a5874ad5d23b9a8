using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Domain;

namespace TattooDirectory.Features.Seed;

/// <summary>Artist <c>n</c> of a dataset, with portfolio and avatar: a pure function of the seed and <c>n</c>.</summary>
internal sealed class ArtistFactory
{
    public const int MinImages = 5;
    public const int MaxImages = 12;
    public const string SvgContentType = "image/svg+xml";

    // Rough popularity in UK studios: fine line and blackwork everywhere, tribal and anime rarer.
    private static readonly (Style Style, int Weight)[] Popularity = Array.ConvertAll(
    [
        ("traditional", 10), ("neo-traditional", 7), ("realism", 9), ("blackwork", 10), ("fineline", 11), ("japanese", 6),
        ("geometric", 6), ("watercolour", 4), ("dotwork", 5), ("tribal", 2), ("illustrative", 7), ("lettering", 5),
        ("minimalist", 6), ("new-school", 3), ("sketch", 3), ("floral", 7), ("anime", 3),
    ], ((string Id, int Weight) p) => (StyleVocabulary.TryGet(p.Id, out var style) ? style : throw new InvalidOperationException($"Unknown style {p.Id}."), p.Weight));

    private static readonly int PopularityTotal = Popularity.Sum(p => p.Weight);

    private static readonly string[] FirstSlugs = Array.ConvertAll(NameBank.FirstNames, Slug.Letters);
    private static readonly string[] LastSlugs = Array.ConvertAll(NameBank.LastNames, Slug.Letters);

    // Four base-36 characters name 1,679,616 artists; beyond that the plain index takes five or
    // more, so the two ranges can never collide.
    private const int ShortCodes = 36 * 36 * 36 * 36;

    private readonly ulong idKey;
    private readonly ulong streamKey;
    private readonly ulong imageKey;
    private readonly ulong portfolioKey;
    private readonly ulong artKey;
    private readonly IndexShuffle names;
    private readonly IndexShuffle codes;
    private readonly DateTimeOffset epoch;

    public ArtistFactory(SeedOptions options)
    {
        idKey = SeedRandom.KeyFor(options.Seed, SeedPurpose.ArtistId);
        streamKey = SeedRandom.KeyFor(options.Seed, SeedPurpose.Artist);
        imageKey = SeedRandom.KeyFor(options.Seed, SeedPurpose.ImageId);
        portfolioKey = SeedRandom.KeyFor(options.Seed, SeedPurpose.Portfolio);
        artKey = SeedRandom.KeyFor(options.Seed, SeedPurpose.Artwork);
        // Every first/last pairing once before any repeats: 40k artists without a clash.
        names = IndexShuffle.Create(NameBank.FirstNames.Length * NameBank.LastNames.Length, SeedRandom.KeyFor(options.Seed, SeedPurpose.ArtistName));
        codes = IndexShuffle.Create(ShortCodes, SeedRandom.KeyFor(options.Seed, SeedPurpose.ArtistCode));
        epoch = options.SeedEpoch;
    }

    /// <summary>The random stream that also picks the artist's studio, so the choice is reproducible.</summary>
    public SeedRandom StreamFor(long index) => SeedRandom.For(streamKey, (ulong)index);

    public SeedArtist Create(long index, ref SeedRandom rng, StudioSite studio)
    {
        var artistId = "artist-" + Base36.Encode(SeedRandom.Mix((ulong)index ^ idKey), Base36.UInt64Width);
        var nameIndex = names.At(index);
        var firstIndex = nameIndex / NameBank.LastNames.Length;
        var lastIndex = nameIndex % NameBank.LastNames.Length;
        var first = NameBank.FirstNames[firstIndex];
        var last = NameBank.LastNames[lastIndex];
        var name = $"{first} {last}";
        var styles = Styles(index, ref rng);
        var code = CodeOf(index);

        var avatarKey = ArtistBlobs.Prefix(artistId) + "avatar.svg";
        var colour = SeedRandom.Mix((ulong)index ^ artKey);
        var artist = new Artist
        {
            ArtistId = artistId,
            Name = name,
            Bio = SeedText.Bio(ref rng, first, styles, studio),
            InstagramHandle = Handle(ref rng, FirstSlugs[firstIndex], LastSlugs[lastIndex], code),
            WebsiteUrl = rng.Chance(0.25) ? $"https://{FirstSlugs[firstIndex]}-{LastSlugs[lastIndex]}-{code}.example" : null,
            StudioId = studio.StudioId,
            City = studio.City,
            LocationDisplay = studio.LocationDisplay,
            Geo = studio.Geo,
            Styles = Array.ConvertAll(styles, s => s.Id),
            AvatarKey = avatarKey,
            // Ratings cluster near the top, as they do on every review site; one decimal.
            Rating = (50 - (int)(16 * Squared(rng.NextDouble()))) / 10.0,
            ReviewCount = 1 + (int)(399 * Cubed(rng.NextDouble())),
            UpdatedAt = epoch.AddMinutes(-rng.Next(90 * 24 * 60)),
        };
        var images = new LazyList<SeedImage>(() => Portfolio(index, artistId, styles));
        return new SeedArtist(artist, images, new SeedBlob(avatarKey, SvgContentType, () => Artwork.Avatar(name, colour)));
    }

    // Plain multiplication is exact IEEE arithmetic everywhere; Math.Pow may differ by an ulp
    // between platforms and flip a truncated value.
    private static double Squared(double x) => x * x;

    private static double Cubed(double x) => x * x * x;

    /// <summary>A short code unique to the artist, shuffled so that neighbours' handles look unrelated.</summary>
    private string CodeOf(long index) => index < ShortCodes ? Base36.Encode((ulong)codes.At(index), 4) : Base36.Encode((ulong)index);

    /// <summary>
    /// 1–3 styles, the first being the main one. The first 17 artists take one style each, so
    /// every style has at least one artist in any dataset of 17 or more.
    /// </summary>
    private static Style[] Styles(long index, ref SeedRandom rng)
    {
        var styles = new Style[rng.Next(10) switch { < 3 => 1, < 8 => 2, _ => 3 }];
        styles[0] = index < StyleVocabulary.All.Count ? StyleVocabulary.All[(int)index] : WeightedStyle(ref rng);
        for (var filled = 1; filled < styles.Length;)
        {
            var next = WeightedStyle(ref rng);
            if (Array.IndexOf(styles, next, 0, filled) < 0) styles[filled++] = next;
        }
        return styles;
    }

    private static Style WeightedStyle(ref SeedRandom rng)
    {
        var target = rng.Next(PopularityTotal);
        foreach (var (style, weight) in Popularity)
        {
            if (target < weight) return style;
            target -= weight;
        }
        return Popularity[^1].Style;
    }

    /// <summary>
    /// Instagram-style handle ending in "_" + the artist's unique code. The part before it has no
    /// underscore, so the suffix alone tells handles apart: unique at any scale, no lookup needed.
    /// </summary>
    private static string Handle(ref SeedRandom rng, string first, string last, string code)
    {
        var stem = rng.Next(8) switch
        {
            0 => $"{first}{last}",
            1 => $"{first}.{last}",
            2 => $"{first}.ink",
            3 => $"{first}{last}.tattoo",
            4 => $"{first}tattoos",
            5 => $"inkedby{first}",
            6 => $"{first}.{last}.art",
            _ => $"{first}draws",
        };
        stem = stem[..Math.Min(stem.Length, 29 - code.Length)].TrimEnd('.');
        return $"{stem}_{code}";
    }

    /// <summary>Drawn from its own stream, so it can be built on first use and still come out the same.</summary>
    private SeedImage[] Portfolio(long index, string artistId, Style[] styles)
    {
        var rng = SeedRandom.For(portfolioKey, (ulong)index);
        var images = new SeedImage[rng.Next(MinImages, MaxImages + 1)];
        for (var position = 0; position < images.Length; position++)
        {
            var imageNumber = ((ulong)index << 4) | (uint)position;
            var imageId = "img-" + Base36.Encode(SeedRandom.Mix(imageNumber ^ imageKey), Base36.UInt64Width);
            var style = position == 0 ? styles[0] : styles[rng.Next(styles.Length)];
            var height = rng.Chance(0.25) ? Artwork.TallHeight : Artwork.Size;
            var caption = SeedText.Caption(ref rng, style);
            var art = SeedRandom.Mix(imageNumber ^ artKey);
            var image = new PortfolioImage
            {
                ImageId = imageId,
                ArtistId = artistId,
                BlobKey = $"{ArtistBlobs.Prefix(artistId)}{imageId}.svg",
                ThumbnailKey = $"{ArtistBlobs.Prefix(artistId)}{imageId}-thumb.svg",
                Width = Artwork.Size,
                Height = height,
                Caption = caption,
                Style = style.Id,
                Position = position,
            };
            images[position] = new SeedImage(
                image,
                new SeedBlob(image.BlobKey, SvgContentType, () => Artwork.Piece(style.Id, art, height, caption, thumbnail: false)),
                new SeedBlob(image.ThumbnailKey, SvgContentType, () => Artwork.Piece(style.Id, art, height, caption, thumbnail: true)));
        }
        return images;
    }
}
