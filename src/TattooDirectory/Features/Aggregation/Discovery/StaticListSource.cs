using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Discovery;

/// <summary>
/// A hand-kept list of studios, <c>{"studios":[{name, website, city, address, postcode, lat, lon}]}</c>,
/// from a URL or a file: for studios the maps miss, and for the offline demo web.
/// </summary>
public sealed class StaticListSource(WebFetcher fetcher, IOptions<AggregationOptions> options, IHostEnvironment environment) : IStudioSource
{
    private StaticListOptions Settings => options.Value.Sources.StaticList;

    public string Name => "static-list";

    public bool Enabled => Uri.TryCreate(Settings.Url, UriKind.Absolute, out _) || !string.IsNullOrWhiteSpace(Settings.File);

    public async Task<IReadOnlyList<DiscoveredStudio>> DiscoverAsync(string city, CancellationToken cancellationToken)
    {
        var place = StudioListings.City(city);
        using var list = await ReadAsync(cancellationToken);
        if (!list.RootElement.TryGetProperty("studios", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new StudioSourceException(Name, "list has no studios array", retryable: false);
        }

        var studios = new List<DiscoveredStudio>();
        foreach (var (entry, index) in entries.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (StudioListings.Text(entry, "name") is not { } name
                || !string.Equals(StudioListings.Text(entry, "city"), place.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            studios.Add(StudioListings.Create(
                Name, $"{place.Name}/{index}", name, StudioListings.Text(entry, "website"), place.Name,
                StudioListings.Text(entry, "address"), StudioListings.Text(entry, "postcode"),
                StudioListings.Geo(StudioListings.Number(entry, "lat"), StudioListings.Number(entry, "lon"))));
        }

        return studios;
    }

    private async Task<JsonDocument> ReadAsync(CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(Settings.Url, UriKind.Absolute, out var url))
        {
            return StudioListings.Parse(Name, await fetcher.GetAsync(url, FetchKind.Json, cancellationToken));
        }

        var path = Path.Combine(environment.ContentRootPath, Settings.File!);
        try
        {
            await using var file = File.OpenRead(path);
            return await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new StudioSourceException(Name, $"list file unreadable ({ex.GetType().Name})", retryable: false);
        }
    }
}
