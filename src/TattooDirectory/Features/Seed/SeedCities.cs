using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;

namespace TattooDirectory.Features.Seed;

/// <summary>One of the five launch cities, with the districts a seeded studio may sit in.</summary>
internal sealed class SeedCity
{
    private readonly Place[] districts;
    private readonly int[] cumulativeWeight;

    public SeedCity(Place centre, double share, string phonePrefix, IEnumerable<Place> allDistricts)
    {
        Centre = centre;
        Share = share;
        PhonePrefix = phonePrefix;
        // Only districts well inside the city: every seeded point must lie within 12 km of the
        // centre after jitter, and LS29 (Ilkley) is not what a seeker means by "Leeds".
        districts = allDistricts.Where(d => GeoMath.DistanceKm(centre.Location, d.Location) <= SeedCities.MaxDistrictKm).ToArray();
        if (districts.Length == 0) throw new InvalidOperationException($"The gazetteer has no districts for {centre.Name}.");
        cumulativeWeight = new int[districts.Length];
        var total = 0;
        for (var i = 0; i < districts.Length; i++)
        {
            // Studios cluster in and near the centre, thinning out towards the suburbs. Whole
            // numbers, so a last-bit difference in trigonometry on another platform cannot tip
            // a pick into the neighbouring district.
            total += (int)Math.Round(10_000 / (1 + (GeoMath.DistanceKm(centre.Location, districts[i].Location) / 2)));
            cumulativeWeight[i] = total;
        }
    }

    public Place Centre { get; }

    public string Name => Centre.Name;

    public double Share { get; }

    /// <summary>Ofcom reserves 0113 496 0000–0999 and the like for drama: never a real line.</summary>
    public string PhonePrefix { get; }

    public Place PickDistrict(ref SeedRandom rng)
    {
        var target = rng.Next(cumulativeWeight[^1]);
        var i = Array.BinarySearch(cumulativeWeight, target);
        // An exact hit on a running total belongs to the next district (totals are exclusive ends).
        return districts[i < 0 ? ~i : i + 1];
    }
}

internal static class SeedCities
{
    /// <summary>Centroid distance cap; with ≤ 0.8 km of jitter every point stays within 12 km.</summary>
    public const double MaxDistrictKm = 11;

    private static readonly Lazy<SeedCity[]> Cities = new(Build);

    /// <summary>Leeds first: it is the launch city and holds the largest share.</summary>
    public static IReadOnlyList<SeedCity> All => Cities.Value;

    /// <summary>
    /// The city of studio <paramref name="index"/>: a Weyl sequence (index · golden ratio mod 1)
    /// is spread evenly, so each city's share of any prefix of studios is close to its target.
    /// </summary>
    public static SeedCity ForStudio(long index, ulong key)
    {
        var u = (((ulong)index * 0x9E3779B97F4A7C15) + key) >> 11;
        var position = u * (1.0 / (1UL << 53));
        foreach (var city in All)
        {
            if (position < city.Share) return city;
            position -= city.Share;
        }
        return All[^1];
    }

    private static SeedCity[] Build()
    {
        var gazetteer = Gazetteer.Default;
        SeedCity City(string name, double share, string phonePrefix) =>
            new(gazetteer.TryResolve(name, out var centre) ? centre : throw new InvalidOperationException($"Unknown city {name}."),
                share, phonePrefix, gazetteer.DistrictsOf(name));
        return
        [
            City("Leeds", 0.30, "0113 496 0"),
            City("London", 0.25, "020 7946 0"),
            City("Manchester", 0.20, "0161 496 0"),
            City("Birmingham", 0.13, "0121 496 0"),
            City("Glasgow", 0.12, "0141 496 0"),
        ];
    }
}
