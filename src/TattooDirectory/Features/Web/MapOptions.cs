namespace TattooDirectory.Features.Web;

/// <summary>Where the map pages get their background tiles.</summary>
public sealed class MapOptions
{
    public const string Section = "Map";

    /// <summary>
    /// An OSM-compatible tile URL template such as <c>https://tile.openstreetmap.org/{z}/{x}/{y}.png</c>
    /// (<c>{s}</c> subdomains allowed). Empty, the default, draws the pins on a blank background and
    /// the pages make no third-party request at all.
    /// </summary>
    public string TileUrl { get; set; } = "";

    /// <summary>The CSP source for the tile server (<c>{s}.</c> becomes a <c>*.</c> wildcard), or null without tiles.</summary>
    public string? TileOrigin => TryOrigin(TileUrl, out var origin) ? origin : null;

    internal bool IsValid =>
        string.IsNullOrWhiteSpace(TileUrl)
        || TryOrigin(TileUrl, out _) && TileUrl.Contains("{z}", StringComparison.Ordinal) && TileUrl.Contains("{x}", StringComparison.Ordinal) && TileUrl.Contains("{y}", StringComparison.Ordinal);

    private static bool TryOrigin(string template, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(template)) return false;
        var wildcard = template.Contains("{s}.", StringComparison.Ordinal);
        // Placeholders are not valid in a host name; stand-ins let Uri check the rest.
        var probe = template.Replace("{s}.", "a.", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Contains('{', StringComparison.Ordinal)) return false;
        var host = wildcard && uri.Host.StartsWith("a.", StringComparison.Ordinal) ? "*" + uri.Host[1..] : uri.Host;
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
        return true;
    }
}
