using System.Text.RegularExpressions;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>Instagram profile links as sites write them (with or without www, a trailing slash, a query) turned into handles.</summary>
internal static partial class InstagramLinks
{
    // Paths that are Instagram's own pages, not profiles.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "reel", "reels", "tv", "stories", "explore", "accounts", "about", "developer", "legal", "direct", "web", "share",
    };

    public static bool IsInstagram(Uri url) =>
        url.IsAbsoluteUri && url.Host.ToLowerInvariant() is "instagram.com" or "www.instagram.com" or "m.instagram.com" or "instagr.am";

    /// <summary>The lower-case handle a profile URL points at, or null for anything else.</summary>
    public static string? HandleOf(string? href)
    {
        if (href is null || !Uri.TryCreate(href.Trim(), UriKind.Absolute, out var url) || !IsInstagram(url)) return null;
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 1 && IsValidHandle(segments[0]) && !Reserved.Contains(segments[0]) ? segments[0].ToLowerInvariant() : null;
    }

    /// <summary>Instagram's rules: 1–30 letters, digits, '.' and '_', no leading, trailing or doubled '.'.</summary>
    public static bool IsValidHandle(string? handle) => handle is not null && Handle().IsMatch(handle);

    [GeneratedRegex(@"^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9._]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex Handle();
}
