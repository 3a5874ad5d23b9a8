namespace TattooDirectory.Features.Web;

/// <summary>The box of a thumbnail, from the full image's size, so the page reserves it before the image loads.</summary>
internal static class Thumbnail
{
    /// <summary>Thumbnails are at most this many pixels on their longer side (product.md §7).</summary>
    public const int MaxSide = 400;

    public static (int Width, int Height) Size(int width, int height)
    {
        if (width <= 0 || height <= 0) return (MaxSide, MaxSide);
        var scale = Math.Min(1.0, MaxSide / (double)Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
