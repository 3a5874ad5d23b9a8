namespace TattooDirectory.Features.Aggregation;

/// <summary>The aggregation run's settings, bound from <c>Aggregation</c> (the fetcher has its own <c>Aggregation:Fetch</c>).</summary>
public sealed class AggregationOptions
{
    public const string Section = "Aggregation";

    /// <summary>The cities a run discovers studios in, unless its input names others. An array, so configuration replaces the list rather than appending to it.</summary>
    public string[] Cities { get; set; } = ["Leeds", "Manchester", "London", "Birmingham", "Glasgow"];

    /// <summary>Pages FindArtists reads on one studio site, the home page included.</summary>
    public int MaxPagesPerSite { get; set; } = 4;

    public StudioSourcesOptions Sources { get; set; } = new();
}

/// <summary>Each source is used only when configured: an empty section turns it off.</summary>
public sealed class StudioSourcesOptions
{
    public OverpassOptions Overpass { get; set; } = new();
    public GooglePlacesOptions GooglePlaces { get; set; } = new();
    public StaticListOptions StaticList { get; set; } = new();
}

public sealed class OverpassOptions
{
    /// <summary>An Overpass API interpreter, e.g. <c>https://overpass-api.de/api/interpreter</c>.</summary>
    public string? Url { get; set; }
}

public sealed class GooglePlacesOptions
{
    public string Url { get; set; } = "https://places.googleapis.com/v1/places:searchText";

    /// <summary>The API key, from secrets (user secrets, an environment variable); the source is off without one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Result pages per city (20 places each; the API stops at 60).</summary>
    public int MaxPages { get; set; } = 3;
}

public sealed class StaticListOptions
{
    /// <summary>A JSON list <c>{"studios":[{name, website, city, address, postcode, lat, lon}]}</c> on the web…</summary>
    public string? Url { get; set; }

    /// <summary>…or in a file (relative to the content root).</summary>
    public string? File { get; set; }
}
