using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Discovery;

/// <summary>
/// OpenStreetMap through the Overpass API: every <c>shop=tattoo</c> node or building in the city's
/// administrative area, with <c>out center</c> so buildings come with a point.
/// </summary>
public sealed class OverpassSource(WebFetcher fetcher, IOptions<AggregationOptions> options) : IStudioSource
{
    public string Name => "overpass";

    public bool Enabled => Url is not null;

    private Uri? Url => Uri.TryCreate(options.Value.Sources.Overpass.Url, UriKind.Absolute, out var url) ? url : null;

    public async Task<IReadOnlyList<DiscoveredStudio>> DiscoverAsync(string city, CancellationToken cancellationToken)
    {
        var place = StudioListings.City(city);
        var query = $$"""[out:json][timeout:60];area["name"="{{place.Name}}"]["boundary"="administrative"]->.city;nwr["shop"="tattoo"](area.city);out center tags;""";
        var url = new UriBuilder(Url!) { Query = "data=" + Uri.EscapeDataString(query) }.Uri;
        using var answer = StudioListings.Parse(Name, await fetcher.GetAsync(url, FetchKind.Json, cancellationToken));
        if (!answer.RootElement.TryGetProperty("elements", out var elements) || elements.ValueKind != JsonValueKind.Array)
        {
            throw new StudioSourceException(Name, "answer has no elements", retryable: false);
        }

        var studios = new List<DiscoveredStudio>();
        foreach (var element in elements.EnumerateArray())
        {
            if (!element.TryGetProperty("tags", out var tags) || StudioListings.Text(tags, "name") is not { } name) continue;
            var point = element.TryGetProperty("center", out var center) ? center : element;
            var street = string.Join(' ', new[] { StudioListings.Text(tags, "addr:housenumber"), StudioListings.Text(tags, "addr:street") }.OfType<string>());
            studios.Add(StudioListings.Create(
                Name,
                $"{StudioListings.Text(element, "type")}/{(element.TryGetProperty("id", out var id) ? id.GetRawText() : "?")}",
                name,
                StudioListings.Text(tags, "website") ?? StudioListings.Text(tags, "contact:website"),
                place.Name,
                street.Length > 0 ? street : null,
                StudioListings.Text(tags, "addr:postcode"),
                StudioListings.Geo(StudioListings.Number(point, "lat"), StudioListings.Number(point, "lon"))));
        }

        return studios;
    }

}
