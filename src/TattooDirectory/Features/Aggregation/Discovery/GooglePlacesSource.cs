using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Discovery;

/// <summary>
/// Google Places Text Search (New): a POST of <c>textQuery</c> with the key in <c>X-Goog-Api-Key</c>
/// and the fields asked for in <c>X-Goog-FieldMask</c> (the API refuses a request without one, and
/// bills by what it names), following <c>nextPageToken</c> for a few pages.
/// </summary>
public sealed class GooglePlacesSource(WebFetcher fetcher, IOptions<AggregationOptions> options) : IStudioSource
{
    public const string FieldMask = "places.id,places.displayName,places.formattedAddress,places.location,places.websiteUri,nextPageToken";

    private GooglePlacesOptions Settings => options.Value.Sources.GooglePlaces;

    public string Name => "google-places";

    public bool Enabled => !string.IsNullOrWhiteSpace(Settings.ApiKey) && Uri.TryCreate(Settings.Url, UriKind.Absolute, out _);

    public async Task<IReadOnlyList<DiscoveredStudio>> DiscoverAsync(string city, CancellationToken cancellationToken)
    {
        var place = StudioListings.City(city);
        var url = new Uri(Settings.Url);
        var headers = new Dictionary<string, string> { ["X-Goog-Api-Key"] = Settings.ApiKey!, ["X-Goog-FieldMask"] = FieldMask };
        var studios = new List<DiscoveredStudio>();
        string? pageToken = null;
        for (var page = 0; page < Math.Max(1, Settings.MaxPages); page++)
        {
            var request = new JsonObject { ["textQuery"] = $"tattoo studio in {place.Name}", ["pageSize"] = 20, ["regionCode"] = "GB" };
            if (pageToken is not null) request["pageToken"] = pageToken;
            using var answer = StudioListings.Parse(Name, await fetcher.PostJsonAsync(url, request.ToJsonString(), headers, cancellationToken));
            var root = answer.RootElement;
            if (root.TryGetProperty("places", out var places) && places.ValueKind == JsonValueKind.Array)
            {
                foreach (var listing in places.EnumerateArray())
                {
                    var name = listing.TryGetProperty("displayName", out var display) ? StudioListings.Text(display, "text") : null;
                    if (name is null) continue;
                    var location = listing.TryGetProperty("location", out var l) ? l : default;
                    studios.Add(StudioListings.Create(
                        Name, StudioListings.Text(listing, "id") ?? name, name, StudioListings.Text(listing, "websiteUri"), place.Name,
                        StudioListings.Text(listing, "formattedAddress"), null,
                        StudioListings.Geo(StudioListings.Number(location, "latitude"), StudioListings.Number(location, "longitude"))));
                }
            }

            pageToken = StudioListings.Text(root, "nextPageToken");
            if (pageToken is null) break;
        }

        return studios;
    }
}
