using System.Text.Json;
using System.Text.RegularExpressions;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Discovery;

/// <summary>What the sources share: turning a listing into a <see cref="DiscoveredStudio"/>, and merging the lists.</summary>
public static partial class StudioListings
{
    /// <summary>A studio as one source lists it; its id comes from its website, else from the source's own id.</summary>
    public static DiscoveredStudio Create(string source, string sourceId, string name, string? website, string city, string? address, string? postcode, GeoPoint? geo) =>
        WebsiteOf(website) is { } site
            ? new DiscoveredStudio(AggregationNames.StudioIdFor(SiteKey(site)), name.Trim(), site, city, Blank(address), PostcodeIn(postcode) ?? PostcodeIn(address), geo, source)
            : new DiscoveredStudio(AggregationNames.StudioIdFor($"{source}:{sourceId}"), name.Trim(), null, city, Blank(address), PostcodeIn(postcode) ?? PostcodeIn(address), geo, source);

    /// <summary>
    /// One entry per studio: the same website (scheme, host and port) or, without one, the same
    /// name and postcode. The first source's entry wins; later ones fill what it lacked.
    /// </summary>
    public static IReadOnlyList<DiscoveredStudio> Merge(IEnumerable<DiscoveredStudio> studios)
    {
        var merged = new List<DiscoveredStudio>();
        var bySite = new Dictionary<string, int>(StringComparer.Ordinal);
        var byNamePostcode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var studio in studios)
        {
            var siteKey = studio.Website is { } w ? SiteKey(w) : null;
            var nameKey = studio.Postcode is { } p ? $"{Normalise(studio.Name)}|{p.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()}" : null;
            if ((siteKey is not null && bySite.TryGetValue(siteKey, out var at)) || (nameKey is not null && byNamePostcode.TryGetValue(nameKey, out at)))
            {
                var known = merged[at];
                merged[at] = known with
                {
                    Website = known.Website ?? studio.Website,
                    Address = known.Address ?? studio.Address,
                    Postcode = known.Postcode ?? studio.Postcode,
                    Geo = known.Geo ?? studio.Geo,
                    // A website found later makes the id the website's, so the next run agrees whichever source answers first.
                    StudioId = known.Website is null && studio.Website is not null ? studio.StudioId : known.StudioId,
                };
            }
            else
            {
                at = merged.Count;
                merged.Add(studio);
            }

            if (merged[at].Website is { } site) bySite.TryAdd(SiteKey(site), at);
            if (nameKey is not null) byNamePostcode.TryAdd(nameKey, at);
        }

        return merged;
    }

    /// <summary>The city as the gazetteer spells it, with its centre; an unknown city is refused.</summary>
    public static Place City(string city) =>
        Gazetteer.Default.TryResolve(city, out var place) && place.Kind != PlaceKind.PostcodeDistrict
            ? place
            : throw new ArgumentException($"'{city}' is not a city the gazetteer knows.", nameof(city));

    /// <summary>The site a website URL belongs to: scheme, host and port.</summary>
    public static string SiteKey(Uri website) => AggregationNames.Canonical(new Uri(website.GetLeftPart(UriPartial.Authority)));

    /// <summary>A body the source answered with, parsed, or the source's failure.</summary>
    internal static JsonDocument Parse(string source, FetchResult result)
    {
        if (!result.Succeeded) throw new StudioSourceException(source, result.Reason, result.Retryable);
        try
        {
            return JsonDocument.Parse(result.Body);
        }
        catch (JsonException)
        {
            throw new StudioSourceException(source, "answer is not JSON", retryable: false);
        }
    }

    internal static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text.Trim()
            : null;

    internal static double? Number(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    internal static GeoPoint? Geo(double? lat, double? lon) =>
        lat is >= -90 and <= 90 && lon is >= -180 and <= 180 ? new GeoPoint(lat.Value, lon.Value) : null;

    private static Uri? WebsiteOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
    }

    private static string? PostcodeIn(string? text) =>
        text is not null && UkPostcode().Match(text) is { Success: true } m ? $"{m.Groups[1].Value} {m.Groups[2].Value}".ToUpperInvariant() : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Normalise(string name) => string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    [GeneratedRegex(@"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", RegexOptions.IgnoreCase)]
    private static partial Regex UkPostcode();
}
