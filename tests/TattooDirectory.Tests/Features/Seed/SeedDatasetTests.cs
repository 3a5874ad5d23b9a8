using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Tests.Features.Seed;

public sealed partial class SeedDatasetTests
{
    private static readonly Lazy<IReadOnlyList<Studio>> DefaultStudios = new(() => new SeedDataset(new SeedOptions()).Studios().ToList());
    private static readonly Lazy<IReadOnlyList<SeedArtist>> DefaultArtists = new(() => new SeedDataset(new SeedOptions()).Artists().ToList());

    private static IReadOnlyList<Studio> Studios => DefaultStudios.Value;
    private static IReadOnlyList<SeedArtist> Artists => DefaultArtists.Value;

    [Fact]
    public void The_same_options_always_produce_identical_data()
    {
        var first = Snapshot(new SeedOptions());
        var second = Snapshot(new SeedOptions());
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_different_seed_produces_different_data() =>
        Assert.NotEqual(Snapshot(new SeedOptions(Artists: 40, Studios: 10)), Snapshot(new SeedOptions(Artists: 40, Studios: 10, Seed: 7)));

    [Fact]
    public void A_larger_dataset_starts_with_the_same_studios() =>
        Assert.Equal(
            JsonSerializer.Serialize(new SeedDataset(new SeedOptions(Artists: 10)).Studios()),
            JsonSerializer.Serialize(new SeedDataset(new SeedOptions(Artists: 5000)).Studios()));

    [Fact]
    public void The_default_dataset_has_320_artists_in_64_studios()
    {
        Assert.Equal(320, Artists.Count);
        Assert.Equal(64, Studios.Count);
    }

    [Fact]
    public void Ids_are_unique_and_match_the_domain_patterns()
    {
        AssertUnique(Studios.Select(s => s.StudioId), Identifiers.StudioId());
        AssertUnique(Artists.Select(a => a.Artist.ArtistId), Identifiers.ArtistId());
        AssertUnique(Artists.SelectMany(a => a.Images).Select(i => i.Image.ImageId), Identifiers.ImageId());
    }

    [Fact]
    public void Instagram_handles_are_unique_and_well_formed()
    {
        var handles = Artists.Select(a => a.Artist.InstagramHandle!).Concat(Studios.Select(s => s.InstagramHandle!)).ToList();
        AssertUnique(handles, InstagramHandle());
    }

    [Fact]
    public void Artist_names_rarely_repeat() =>
        Assert.True(Artists.Select(a => a.Artist.Name).Distinct().Count() >= 315);

    [Fact]
    public void Every_style_of_the_vocabulary_has_artists()
    {
        var used = Artists.SelectMany(a => a.Artist.Styles).ToHashSet();
        Assert.All(StyleVocabulary.Ids, id => Assert.Contains(id, used));
    }

    [Fact]
    public void Every_artist_has_one_to_three_known_styles_named_in_the_bio()
    {
        Assert.All(Artists, a =>
        {
            Assert.InRange(a.Artist.Styles.Count, 1, 3);
            Assert.Equal(a.Artist.Styles.Count, a.Artist.Styles.Distinct().Count());
            Assert.All(a.Artist.Styles, s => Assert.True(StyleVocabulary.TryGet(s, out _), s));
            Assert.Equal(a.Artist.Styles.Order(), StyleVocabulary.InferFrom(a.Artist.Bio).Order());
            Assert.Contains('#', a.Artist.Bio);
        });
    }

    [Fact]
    public void Every_artist_has_five_to_twelve_images_of_their_own_styles()
    {
        Assert.All(Artists, a =>
        {
            Assert.InRange(a.Images.Count, 5, 12);
            Assert.Equal(Enumerable.Range(0, a.Images.Count), a.Images.Select(i => i.Image.Position));
            Assert.All(a.Images, i =>
            {
                var image = i.Image;
                Assert.Equal(a.Artist.ArtistId, image.ArtistId);
                Assert.Contains(image.Style!, a.Artist.Styles);
                Assert.False(string.IsNullOrWhiteSpace(image.Caption));
                Assert.Equal(1200, image.Width);
                Assert.Contains(image.Height, new[] { 1200, 1500 });
                Assert.Equal($"artists/{a.Artist.ArtistId}/{image.ImageId}.svg", image.BlobKey);
                Assert.Equal($"artists/{a.Artist.ArtistId}/{image.ImageId}-thumb.svg", image.ThumbnailKey);
                Assert.Equal(image.BlobKey, i.Full.Key);
                Assert.Equal(image.ThumbnailKey, i.Thumbnail.Key);
            });
        });
    }

    [Fact]
    public void Every_artist_has_an_avatar_under_their_own_key()
    {
        Assert.All(Artists, a =>
        {
            Assert.Equal($"artists/{a.Artist.ArtistId}/avatar.svg", a.Artist.AvatarKey);
            Assert.Equal(a.Artist.AvatarKey, a.Avatar.Key);
            Assert.Equal("image/svg+xml", a.Avatar.ContentType);
        });
    }

    [Fact]
    public void Ratings_and_review_counts_are_in_range()
    {
        Assert.All(Artists, a =>
        {
            Assert.InRange(a.Artist.Rating, 3.5, 5.0);
            Assert.Equal(Math.Round(a.Artist.Rating, 1), a.Artist.Rating);
            Assert.InRange(a.Artist.ReviewCount, 0, 400);
        });
        Assert.True(Artists.Select(a => a.Artist.Rating).Distinct().Count() > 5);
    }

    [Fact]
    public void Updates_lie_in_the_ninety_days_before_the_seed_epoch()
    {
        var epoch = new SeedOptions().SeedEpoch;
        Assert.All(Artists, a => Assert.InRange(a.Artist.UpdatedAt, epoch.AddDays(-90), epoch));
    }

    [Fact]
    public void Studios_are_in_the_five_cities_with_Leeds_the_largest_share()
    {
        Assert.All(Studios, s => Assert.Contains(s.City, SeedDataset.Cities));
        var byCity = Artists.GroupBy(a => a.Artist.City).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SeedDataset.Cities.Order(), byCity.Keys.Order());
        Assert.Equal("Leeds", byCity.MaxBy(kv => kv.Value).Key);
        Assert.InRange(byCity["Leeds"], 0.22 * Artists.Count, 0.38 * Artists.Count);
    }

    [Fact]
    public void Every_coordinate_lies_within_twelve_kilometres_of_its_city_centre()
    {
        var points = Studios.Select(s => (s.City, s.Geo)).Concat(Artists.Select(a => (a.Artist.City, a.Artist.Geo)));
        Assert.All(points, p =>
        {
            Assert.True(Gazetteer.Default.TryResolve(p.City, out var city));
            Assert.InRange(GeoMath.DistanceKm(city.Location, p.Geo), 0, 12);
        });
    }

    [Fact]
    public void Studios_sit_in_a_real_district_of_their_city_near_its_centroid()
    {
        Assert.All(Studios, s =>
        {
            Assert.True(Gazetteer.Default.TryResolve(s.Postcode, out var district), s.Postcode);
            Assert.Equal(PlaceKind.PostcodeDistrict, district.Kind);
            Assert.Equal(s.City, district.City);
            Assert.InRange(GeoMath.DistanceKm(district.Location, s.Geo), 0, 0.8);
            Assert.Matches(Postcode(), s.Postcode);
            Assert.Contains(district.Locality!, s.Address, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Studio_contact_details_are_fictional_by_construction()
    {
        Assert.All(Studios, s =>
        {
            Assert.Matches(DramaPhoneNumber(), s.Phone);
            Assert.EndsWith("@example.com", s.Email, StringComparison.Ordinal);
            Assert.Matches(ReservedWebsite(), s.WebsiteUrl);
            Assert.NotEmpty(s.OpeningHours);
        });
        Assert.All(Artists.Where(a => a.Artist.WebsiteUrl is not null), a => Assert.Matches(ReservedWebsite(), a.Artist.WebsiteUrl));
    }

    [Fact]
    public void Artists_share_their_studio_location_and_every_studio_has_artists()
    {
        var studios = Studios.ToDictionary(s => s.StudioId);
        Assert.All(Artists, a =>
        {
            var studio = studios[a.Artist.StudioId!];
            Assert.Equal(studio.Geo, a.Artist.Geo);
            Assert.Equal(studio.City, a.Artist.City);
            Assert.EndsWith($", {studio.City}", a.Artist.LocationDisplay, StringComparison.Ordinal);
        });
        Assert.Equal(studios.Count, Artists.Select(a => a.Artist.StudioId).Distinct().Count());
    }

    [Fact]
    public void Scaled_options_add_a_studio_per_twenty_artists()
    {
        Assert.Equal(64, SeedOptions.ForArtists(320).Studios);
        Assert.Equal(5_000, SeedOptions.ForArtists(100_000).Studios);
        Assert.Equal(50_000, SeedOptions.ForArtists(1_000_000).Studios);
    }

    [Theory]
    [InlineData(-1, 64)]
    [InlineData(320, 0)]
    [InlineData(SeedOptions.MaxArtists + 1, 64)]
    public void Impossible_options_are_rejected(int artists, int studios) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeedDataset(new SeedOptions(artists, studios)));

    [Fact]
    public void A_million_artists_have_unique_ids_and_handles()
    {
        var options = SeedOptions.ForArtists(1_000_000);
        var ids = new HashSet<string>(options.Artists, StringComparer.Ordinal);
        var handles = new HashSet<string>(options.Artists, StringComparer.Ordinal);
        foreach (var seeded in new SeedDataset(options).Artists())
        {
            Assert.True(ids.Add(seeded.Artist.ArtistId), seeded.Artist.ArtistId);
            Assert.True(handles.Add(seeded.Artist.InstagramHandle!), seeded.Artist.InstagramHandle);
        }
        Assert.Equal(options.Artists, ids.Count);
    }

    [Fact]
    public void Fifty_thousand_studios_have_unique_ids_handles_and_websites()
    {
        var studios = new SeedDataset(SeedOptions.ForArtists(1_000_000)).Studios().ToList();
        Assert.Equal(50_000, studios.Count);
        AssertUnique(studios.Select(s => s.StudioId), Identifiers.StudioId());
        AssertUnique(studios.Select(s => s.InstagramHandle!), InstagramHandle());
        AssertUnique(studios.Select(s => s.WebsiteUrl!), ReservedWebsite());
        Assert.All(SeedDataset.Cities, city => Assert.InRange(studios.Count(s => s.City == city), 0.1 * studios.Count, 0.31 * studios.Count));
    }

    private static void AssertUnique(IEnumerable<string> values, Regex pattern)
    {
        var list = values.ToList();
        Assert.Equal(list.Count, list.Distinct(StringComparer.Ordinal).Count());
        Assert.All(list, v => Assert.Matches(pattern, v));
    }

    /// <summary>Everything the dataset produces, rendered bytes included (as hashes), as one JSON string.</summary>
    private static string Snapshot(SeedOptions options)
    {
        var dataset = new SeedDataset(options);
        static string Hash(SeedBlob blob) => $"{blob.Key} {blob.ContentType} {Convert.ToHexString(SHA256.HashData(blob.Render()))}";
        return JsonSerializer.Serialize(new
        {
            Studios = dataset.Studios().ToList(),
            Artists = dataset.Artists().Select(a => new
            {
                a.Artist,
                Avatar = Hash(a.Avatar),
                Images = a.Images.Select(i => new { i.Image, Full = Hash(i.Full), Thumbnail = Hash(i.Thumbnail) }),
            }).ToList(),
        });
    }

    [GeneratedRegex("^[a-z0-9._]{1,30}$")]
    private static partial Regex InstagramHandle();

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABDEFGHJLNPQRSTUWXYZ]{2}$")]
    private static partial Regex Postcode();

    [GeneratedRegex(@"^(0113 496 0|0161 496 0|020 7946 0|0121 496 0|0141 496 0)\d{3}$")]
    private static partial Regex DramaPhoneNumber();

    [GeneratedRegex(@"^https://[a-z0-9]+(-[a-z0-9]+)*\.example$")]
    private static partial Regex ReservedWebsite();
}
