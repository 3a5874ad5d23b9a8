using System.Text.RegularExpressions;

namespace TattooDirectory.Core.Domain;

public static partial class Identifiers
{
    [GeneratedRegex("^artist-[a-z0-9]{4,40}$", RegexOptions.CultureInvariant)]
    public static partial Regex ArtistId();

    [GeneratedRegex("^studio-[a-z0-9]{4,40}$", RegexOptions.CultureInvariant)]
    public static partial Regex StudioId();

    [GeneratedRegex("^img-[a-z0-9]{4,40}$", RegexOptions.CultureInvariant)]
    public static partial Regex ImageId();

    public static bool IsArtistId(string? value) => value is not null && ArtistId().IsMatch(value);
    public static bool IsStudioId(string? value) => value is not null && StudioId().IsMatch(value);
}
