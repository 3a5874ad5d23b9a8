using System.Globalization;
using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Places;

/// <summary>A city or town with the other names people use for it.</summary>
internal sealed record NamedPlace(Place Place, IReadOnlyList<string> Aliases);

/// <summary>
/// Reads the two embedded gazetteer files. They ship inside the assembly, so a malformed row is
/// a build defect: it fails loudly with its line number instead of being skipped.
/// </summary>
internal static class GazetteerCsv
{
    public const string PlacesResource = "TattooDirectory.Core.Places.uk-places.csv";
    public const string DistrictsResource = "TattooDirectory.Core.Places.postcode-districts.csv";

    // name,kind,region,country,lat,lon,aliases (aliases separated by '|')
    public static List<NamedPlace> ReadPlaces(TextReader reader)
    {
        var places = new List<NamedPlace>(256);
        foreach (var (line, f) in Rows(reader, 7))
        {
            var kind = f[1] switch
            {
                "city" => PlaceKind.City,
                "town" => PlaceKind.Town,
                _ => throw Invalid(line, $"kind '{f[1]}' is neither city nor town"),
            };
            var place = new Place(f[0], kind, f[0], Point(line, f[4], f[5])) { Region = f[2], Country = f[3] };
            places.Add(new NamedPlace(place, f[6].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }
        return places;
    }

    // district,city,post_town,locality,lat,lon
    public static List<Place> ReadDistricts(TextReader reader)
    {
        var districts = new List<Place>(512);
        foreach (var (line, f) in Rows(reader, 6))
        {
            districts.Add(new Place(f[0], PlaceKind.PostcodeDistrict, f[1], Point(line, f[4], f[5])) { PostTown = f[2], Locality = f[3] });
        }
        return districts;
    }

    public static TextReader OpenEmbedded(string resource) =>
        new StreamReader(typeof(GazetteerCsv).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing."));

    private static IEnumerable<(int Line, string[] Fields)> Rows(TextReader reader, int columns)
    {
        var line = 1;
        _ = reader.ReadLine(); // header
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (fields.Length != columns) throw Invalid(line, $"expected {columns} fields, found {fields.Length}");
            yield return (line, fields);
        }
    }

    private static GeoPoint Point(int line, string lat, string lon)
    {
        var point = new GeoPoint(double.Parse(lat, CultureInfo.InvariantCulture), double.Parse(lon, CultureInfo.InvariantCulture));
        // The UK, Channel Islands and Shetland fit in this box; anything outside is a typo.
        return point.Lat is >= 49 and <= 61 && point.Lon is >= -9 and <= 2.5 ? point : throw Invalid(line, $"{lat},{lon} is not in the UK");
    }

    private static InvalidDataException Invalid(int line, string problem) => new($"Gazetteer data line {line}: {problem}.");
}
