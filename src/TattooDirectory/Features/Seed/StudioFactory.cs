using System.Globalization;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;

namespace TattooDirectory.Features.Seed;

/// <summary>What an artist needs of their studio: who it is, what it is called and where it is.</summary>
internal sealed record StudioSite(string StudioId, string Name, string City, Place District, GeoPoint Geo)
{
    /// <summary>"Headingley, Leeds": what a seeker reads under an artist's name.</summary>
    public string LocationDisplay => $"{District.Locality}, {City}";
}

/// <summary>Studio <c>n</c> of a dataset, a pure function of the seed and <c>n</c>.</summary>
internal sealed class StudioFactory
{
    // Postcode units never use C, I, K, M, O or V.
    private const string UnitLetters = "ABDEFGHJLNPQRSTUWXYZ";
    private const double JitterKm = 0.55; // a square of ±0.55 km keeps the offset under 0.8 km
    private const double KmPerDegreeLat = 111.32;

    private static readonly int TemplatedNames = NameBank.StudioTemplates.Length * NameBank.StudioAdjectives.Length * NameBank.StudioNouns.Length;
    private static readonly int PairNames = NameBank.StudioPairs.Length * (NameBank.StudioPairs.Length - 1);

    private readonly ulong idKey;
    private readonly ulong streamKey;
    private readonly ulong cityKey;
    private readonly ulong capacityKey;
    private readonly IndexShuffle names;

    public StudioFactory(ulong seed)
    {
        idKey = SeedRandom.KeyFor(seed, SeedPurpose.StudioId);
        streamKey = SeedRandom.KeyFor(seed, SeedPurpose.Studio);
        cityKey = SeedRandom.KeyFor(seed, SeedPurpose.StudioCity);
        capacityKey = SeedRandom.KeyFor(seed, SeedPurpose.StudioCapacity);
        names = IndexShuffle.Create(UniqueNameCount, SeedRandom.KeyFor(seed, SeedPurpose.StudioName));
    }

    /// <summary>How many studios get a name no other studio has.</summary>
    public static int UniqueNameCount => TemplatedNames + PairNames;

    public Studio Create(long index)
    {
        var rng = SeedRandom.For(streamKey, (ulong)index);
        var site = Site(index, ref rng);
        var unique = index < UniqueNameCount;
        var slug = Slug.Hyphenated(site.Name);
        if (!unique) slug = $"{slug}-{Base36.Encode((ulong)index)}";
        var handle = Slug.Letters(site.Name);
        handle = handle[..Math.Min(handle.Length, 30)];
        if (!unique) handle = $"{handle[..Math.Min(handle.Length, 23)]}.{Base36.Encode((ulong)index)}";
        return new Studio
        {
            StudioId = site.StudioId,
            Name = site.Name,
            Address = Address(ref rng, site.District, site.City),
            City = site.City,
            Postcode = Postcode(ref rng, site.District),
            Geo = site.Geo,
            WebsiteUrl = $"https://{slug}.example",
            Phone = SeedCities.ForStudio(index, cityKey).PhonePrefix + rng.Next(1000).ToString("000", CultureInfo.InvariantCulture),
            Email = $"{slug}@example.com",
            InstagramHandle = handle,
            OpeningHours = rng.Pick(NameBank.OpeningHours),
        };
    }

    /// <summary>
    /// The studio's identity and position alone: artists need only this, and skipping the
    /// contact details keeps a million-artist run cheap. Draws first from the studio's stream,
    /// so it agrees with <see cref="Create"/>.
    /// </summary>
    public StudioSite Site(long index)
    {
        var rng = SeedRandom.For(streamKey, (ulong)index);
        return Site(index, ref rng);
    }

    /// <summary>Capacity weight 1–4: some studios are one-person rooms, some have a dozen artists.</summary>
    public int CapacityOf(long index) => 1 + (int)(SeedRandom.Mix((ulong)index ^ capacityKey) & 3);

    private StudioSite Site(long index, ref SeedRandom rng)
    {
        var city = SeedCities.ForStudio(index, cityKey);
        var district = city.PickDistrict(ref rng);
        var geo = Jitter(ref rng, district.Location);
        var name = NameAt(index);
        if (index >= UniqueNameCount) name = $"{name} {district.Locality}";
        var id = "studio-" + Base36.Encode(SeedRandom.Mix((ulong)index ^ idKey), Base36.UInt64Width);
        return new StudioSite(id, name, city.Name, district, geo);
    }

    private string NameAt(long index)
    {
        var x = names.At(index);
        if (x < TemplatedNames)
        {
            var perTemplate = NameBank.StudioAdjectives.Length * NameBank.StudioNouns.Length;
            var rest = x % perTemplate;
            return string.Format(CultureInfo.InvariantCulture, NameBank.StudioTemplates[x / perTemplate],
                NameBank.StudioAdjectives[rest / NameBank.StudioNouns.Length], NameBank.StudioNouns[rest % NameBank.StudioNouns.Length]);
        }
        var pair = x - TemplatedNames;
        var others = NameBank.StudioPairs.Length - 1;
        var first = pair / others;
        var second = pair % others;
        if (second >= first) second++;
        return $"{NameBank.StudioPairs[first]} & {NameBank.StudioPairs[second]}";
    }

    private static string Address(ref SeedRandom rng, Place district, string city)
    {
        var prefix = rng.Next(10) switch
        {
            0 or 1 => $"Unit {rng.Next(1, 12)}, ",
            2 => "First Floor, ",
            _ => "",
        };
        var street = $"{prefix}{rng.Next(1, 240)} {rng.Pick(NameBank.Streets)}, {district.Locality}";
        // Royal Mail addresses carry the post town: M5 is in Salford, LS28 in Pudsey.
        var postTown = district.PostTown;
        return postTown is not null && postTown != city && postTown != district.Locality ? $"{street}, {postTown}" : street;
    }

    private static string Postcode(ref SeedRandom rng, Place district) =>
        $"{district.Name} {rng.Next(1, 10)}{UnitLetters[rng.Next(UnitLetters.Length)]}{UnitLetters[rng.Next(UnitLetters.Length)]}";

    private static GeoPoint Jitter(ref SeedRandom rng, GeoPoint centre)
    {
        var northKm = ((rng.NextDouble() * 2) - 1) * JitterKm;
        var eastKm = ((rng.NextDouble() * 2) - 1) * JitterKm;
        var lat = centre.Lat + (northKm / KmPerDegreeLat);
        var lon = centre.Lon + (eastKm / (KmPerDegreeLat * Math.Cos(centre.Lat * Math.PI / 180)));
        // Five decimals (about a metre) also absorbs last-bit differences in Math.Cos between
        // platforms, keeping the dataset byte-identical everywhere.
        return new GeoPoint(Math.Round(lat, 5), Math.Round(lon, 5));
    }
}
