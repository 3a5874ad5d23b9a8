namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>What the job already knows about the artist (from the studio's site), to find them on a page showing several.</summary>
internal sealed record ArtistHint(string? Name, string? InstagramHandle);

/// <summary>A portfolio image as the page shows it; the URL is absolute.</summary>
internal sealed record ExtractedImage(Uri Url, string? Alt, string? Caption, IReadOnlyList<string> Hashtags);

/// <summary>Everything an artist page says about the artist; null where the page does not say.</summary>
internal sealed record ExtractedArtist(
    string? Name,
    string? Bio,
    Uri? Avatar,
    string? InstagramHandle,
    Uri? Website,
    IReadOnlyList<ExtractedImage> Images);
