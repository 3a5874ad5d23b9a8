namespace TattooDirectory.Core.Domain;

/// <summary>A WGS84 point in decimal degrees.</summary>
public readonly record struct GeoPoint(double Lat, double Lon)
{
    public bool IsValid => Lat is >= -90 and <= 90 && Lon is >= -180 and <= 180 && double.IsFinite(Lat) && double.IsFinite(Lon);
}

public sealed record Studio
{
    public required string StudioId { get; init; }
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required string City { get; init; }
    public required string Postcode { get; init; }
    public required GeoPoint Geo { get; init; }
    public string? WebsiteUrl { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? InstagramHandle { get; init; }
    /// <summary>Human-readable opening hours, one line per day group ("Tue–Sat 10:00–18:00").</summary>
    public IReadOnlyList<string> OpeningHours { get; init; } = [];
}

public sealed record Artist
{
    public required string ArtistId { get; init; }
    public required string Name { get; init; }
    public string Bio { get; init; } = "";
    public string? InstagramHandle { get; init; }
    public string? WebsiteUrl { get; init; }
    public string? StudioId { get; init; }
    public required string City { get; init; }
    public required string LocationDisplay { get; init; }
    public required GeoPoint Geo { get; init; }
    /// <summary>Style ids from <see cref="StyleVocabulary"/>.</summary>
    public IReadOnlyList<string> Styles { get; init; } = [];
    /// <summary>Blob key of the avatar image, if any.</summary>
    public string? AvatarKey { get; init; }
    public double Rating { get; init; }
    public int ReviewCount { get; init; }
    /// <summary>The artist asked not to be listed; never shown in search or profile.</summary>
    public bool OptedOut { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record PortfolioImage
{
    public required string ImageId { get; init; }
    public required string ArtistId { get; init; }
    /// <summary>Blob key of the full-size image.</summary>
    public required string BlobKey { get; init; }
    /// <summary>Blob key of the thumbnail.</summary>
    public required string ThumbnailKey { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public string? Caption { get; init; }
    /// <summary>Style id this piece shows, if known.</summary>
    public string? Style { get; init; }
    /// <summary>Display order within the portfolio.</summary>
    public int Position { get; init; }
}
