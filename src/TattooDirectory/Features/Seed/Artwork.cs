using System.Globalization;
using System.Text;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// Generated SVG artwork for the seed: a small, deterministic picture per style, so the site has
/// real images without shipping binaries. Self-contained markup only: no scripts, no links, no
/// fonts or images fetched from elsewhere.
/// </summary>
internal static class Artwork
{
    public const int Size = 1200;
    public const int TallHeight = 1500;
    public const int ThumbnailSize = 400;
    public const int AvatarSize = 256;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] Papers = ["#f6f1e9", "#f1e8dc", "#efe9e1", "#f4ede4", "#ebe3d7"];

    // Dark enough for white initials to pass WCAG AA contrast.
    private static readonly string[] AvatarColours =
        ["#1d3557", "#6a040f", "#2d6a4f", "#5a189a", "#9d0208", "#264653", "#7f5539", "#3a0ca3", "#005f73", "#6d597a"];

    /// <summary>
    /// A portfolio piece. The thumbnail is the same drawing cropped to its central square and
    /// scaled to 400 px, so both always agree.
    /// </summary>
    public static byte[] Piece(string styleId, ulong seed, int height, string title, bool thumbnail)
    {
        var rng = new SeedRandom(seed);
        var b = new StringBuilder(4096);
        if (thumbnail)
        {
            b.Append(Inv, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{ThumbnailSize}" height="{ThumbnailSize}" viewBox="0 {(height - Size) / 2} {Size} {Size}" role="img">""");
        }
        else
        {
            b.Append(Inv, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Size}" height="{height}" viewBox="0 0 {Size} {height}" role="img">""");
        }
        b.Append("<title>").Append(Escape(title)).Append("</title>");
        var paper = rng.Pick(Papers);
        b.Append(Inv, $"""<rect width="{Size}" height="{height}" fill="{paper}"/>""");
        ArtworkStyles.Draw(styleId, b, ref rng, height / 2, paper);
        b.Append("</svg>");
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>Initials on a coloured circle.</summary>
    public static byte[] Avatar(string name, ulong seed)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var initials = words.Length == 0 ? "?" : char.ToUpperInvariant(words[0][0]) + (words.Length > 1 ? char.ToUpperInvariant(words[^1][0]).ToString() : "");
        var colour = AvatarColours[(int)(seed % (ulong)AvatarColours.Length)];
        const int c = AvatarSize / 2;
        var svg = string.Create(Inv,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{AvatarSize}" height="{AvatarSize}" viewBox="0 0 {AvatarSize} {AvatarSize}" role="img"><title>{Escape(name)}</title><circle cx="{c}" cy="{c}" r="{c}" fill="{colour}"/><text x="{c}" y="{c}" dy=".35em" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="104" font-weight="700" fill="#fff">{Escape(initials)}</text></svg>""");
        return Encoding.UTF8.GetBytes(svg);
    }

    public static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
