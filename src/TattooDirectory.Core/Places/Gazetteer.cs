using System.Collections.Frozen;

namespace TattooDirectory.Core.Places;

/// <summary>
/// Resolves what a seeker types as a location (a city, town, neighbourhood or postcode) to a
/// place with a point, so search can become a distance filter (product.md §5).
/// </summary>
public sealed class Gazetteer
{
    private const int MaxInputLength = 100;

    private static readonly Lazy<Gazetteer> Embedded = new(LoadEmbedded);

    private readonly FrozenDictionary<string, Place> byName;
    private readonly FrozenDictionary<string, Place> byOutwardCode;
    private readonly FrozenDictionary<string, Place[]> districtsByCity;

    internal Gazetteer(IReadOnlyList<NamedPlace> places, IReadOnlyList<Place> districts)
    {
        Cities = places.Select(p => p.Place).ToArray();

        var names = new Dictionary<string, Place>(StringComparer.Ordinal);
        // Earlier entries win: cities before towns before their aliases, so "Newport" stays the
        // Welsh city and a neighbourhood never hides a town of the same name.
        foreach (var p in places) names.TryAdd(PlaceText.Key(p.Place.Name), p.Place);
        foreach (var p in places)
        {
            foreach (var alias in p.Aliases) names.TryAdd(PlaceText.Key(alias), p.Place);
        }
        foreach (var group in districts.Where(d => d.Locality is not null).GroupBy(d => PlaceText.Key(d.Locality!)))
        {
            // "City Centre" names several districts: ambiguous localities resolve to nothing.
            if (group.Count() == 1) names.TryAdd(group.Key, group.First());
        }
        byName = names.ToFrozenDictionary(StringComparer.Ordinal);

        var codes = districts.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var parent in ParentDistricts(districts, codes)) codes.Add(parent.Name, parent);
        byOutwardCode = codes.ToFrozenDictionary(StringComparer.Ordinal);

        districtsByCity = districts.GroupBy(d => PlaceText.Key(d.City))
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The gazetteer built from the embedded UK data, loaded once on first use.</summary>
    public static Gazetteer Default => Embedded.Value;

    /// <summary>Every city and town, cities first, in data order.</summary>
    public IReadOnlyList<Place> Cities { get; }

    /// <summary>The postcode districts of a city ("Leeds" → LS1…LS29); empty for a place without any.</summary>
    public IReadOnlyList<Place> DistrictsOf(string city)
    {
        if (string.IsNullOrWhiteSpace(city) || city.Length > MaxInputLength) return [];
        var key = TryResolve(city, out var place) ? PlaceText.Key(place.City) : PlaceText.Key(city);
        return districtsByCity.TryGetValue(key, out var found) ? found : [];
    }

    /// <summary>
    /// Resolves "Leeds", "leeds", "Leeds, UK", "LS6", "ls6 3ab", "Headingley", "St. Albans",
    /// "Newcastle" and the like. Never throws: null, blank, over-long or unknown text is false.
    /// </summary>
    public bool TryResolve(string? text, out Place place)
    {
        place = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxInputLength) return false;
        if (TryResolveOne(text, out place)) return true;
        // "Headingley, Leeds, UK": the most specific part people write comes first.
        var parts = text.Split([',', ';', '/', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2) return false;
        foreach (var part in parts)
        {
            if (TryResolveOne(part, out place)) return true;
        }
        return false;
    }

    private bool TryResolveOne(string text, out Place place)
    {
        if (PlaceText.OutwardCode(text) is { } code && byOutwardCode.TryGetValue(code, out place!)) return true;
        var key = PlaceText.Key(text);
        if (key.Length == 0)
        {
            place = null!;
            return false;
        }
        if (byName.TryGetValue(key, out place!)) return true;
        return PlaceText.WithoutCountry(key) is { } shorter && byName.TryGetValue(shorter, out place!);
    }

    /// <summary>
    /// Central London districts are split (W1A…W1W, EC1A…EC1Y), yet people still write "W1" or
    /// "EC1": those resolve to the centre of their sub-districts.
    /// </summary>
    private static IEnumerable<Place> ParentDistricts(IReadOnlyList<Place> districts, Dictionary<string, Place> codes) =>
        districts.Where(d => char.IsAsciiLetter(d.Name[^1]) && !codes.ContainsKey(d.Name[..^1]))
            .GroupBy(d => d.Name[..^1])
            .Select(g => new Place(g.Key, PlaceKind.PostcodeDistrict, g.First().City,
                new(Math.Round(g.Average(d => d.Location.Lat), 4), Math.Round(g.Average(d => d.Location.Lon), 4)))
            {
                PostTown = g.First().PostTown,
            });

    private static Gazetteer LoadEmbedded()
    {
        using var places = GazetteerCsv.OpenEmbedded(GazetteerCsv.PlacesResource);
        using var districts = GazetteerCsv.OpenEmbedded(GazetteerCsv.DistrictsResource);
        return new Gazetteer(GazetteerCsv.ReadPlaces(places), GazetteerCsv.ReadDistricts(districts));
    }
}
