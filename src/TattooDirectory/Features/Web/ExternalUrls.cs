namespace TattooDirectory.Features.Web;

/// <summary>Links to other sites, only when the scraped value is safe to put in an href.</summary>
internal static class ExternalUrls
{
    public static string? Instagram(string? handle)
    {
        var h = handle?.Trim().TrimStart('@');
        return h is { Length: > 0 and <= 30 } && h.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_')
            ? $"https://www.instagram.com/{h}/"
            : null;
    }

    public static string? Website(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.AbsoluteUri : null;
}
