using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Places;

public enum PlaceKind
{
    City,
    Town,
    PostcodeDistrict,
}

/// <summary>
/// A place the gazetteer knows. <see cref="City"/> is the city a postcode district belongs to,
/// or the place itself for a city or town, so results can be grouped by city either way.
/// </summary>
public sealed record Place(string Name, PlaceKind Kind, string City, GeoPoint Location)
{
    /// <summary>Neighbourhood a postcode district is known by ("Headingley" for LS6).</summary>
    public string? Locality { get; init; }

    /// <summary>Royal Mail post town used in postal addresses (LS21 is in Otley, not Leeds).</summary>
    public string? PostTown { get; init; }

    /// <summary>County or council area ("West Yorkshire").</summary>
    public string? Region { get; init; }

    /// <summary>England, Scotland, Wales or Northern Ireland.</summary>
    public string? Country { get; init; }
}
