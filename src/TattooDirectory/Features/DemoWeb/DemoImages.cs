using System.Collections.Concurrent;
using NetVips;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// Raster files for the demo web: the seed's SVG artwork rendered by libvips to JPEG or PNG at
/// the size the manifest states, plus the deliberately broken ones. Output is a pure function of
/// the image, so rendered files are kept (within a byte budget) and re-served unchanged.
/// </summary>
internal sealed class DemoImages(long cacheBytes)
{
    private const int JpegQuality = 82;

    private readonly ConcurrentDictionary<string, byte[]> cache = new(StringComparer.Ordinal);
    private long cached;

    public byte[] Portfolio(DemoImage image) => Cached(image.ImageId, () => image.Fault switch
    {
        ImageFault.PixelBomb => PixelBomb(image.Width),
        ImageFault.Corrupt => Corrupt(Render(image.Artwork, Artwork.Size, image.Width, ImageFormat.Jpeg)),
        _ => Render(image.Artwork, Artwork.Size, image.Width, image.Format),
    });

    public byte[] Avatar(DemoArtist artist) => Cached("avatar:" + artist.Artist.ArtistId, () => Render(artist.Avatar, Artwork.AvatarSize, Artwork.AvatarSize, ImageFormat.Png));

    private byte[] Cached(string key, Func<byte[]> render)
    {
        if (cache.TryGetValue(key, out var bytes)) return bytes;
        bytes = render();
        // Two requests racing for one image both render it; the bytes are identical either way.
        if (Interlocked.Add(ref cached, bytes.Length) <= cacheBytes) cache.TryAdd(key, bytes);
        else Interlocked.Add(ref cached, -bytes.Length);
        return bytes;
    }

    /// <param name="drawnWidth">The width the SVG declares: portfolio artwork is drawn 1,200 px wide, avatars 256 px.</param>
    private static byte[] Render(SeedBlob svg, int drawnWidth, int width, ImageFormat format)
    {
        using var loaded = Image.SvgloadBuffer(svg.Render(), scale: (double)width / drawnWidth);
        // The artwork paints its own paper, but flattening drops the alpha channel JPEG cannot hold.
        using var flat = loaded.HasAlpha() ? loaded.Flatten(background: [255, 255, 255]) : loaded.Copy();
        return format == ImageFormat.Png ? flat.PngsaveBuffer(compression: 6) : flat.JpegsaveBuffer(q: JpegQuality, optimizeCoding: true);
    }

    /// <summary>
    /// A single-colour square that compresses to a few hundred kilobytes and decodes to
    /// side² pixels: a scraper that decodes before checking the dimensions runs out of memory.
    /// </summary>
    private static byte[] PixelBomb(int side)
    {
        using var black = Image.Black(side, side, bands: 1);
        return black.PngsaveBuffer(compression: 9, filter: Enums.ForeignPngFilter.None);
    }

    /// <summary>The JPEG start-of-image marker and the first header bytes, then noise: recognisably a JPEG, never decodable.</summary>
    private static byte[] Corrupt(byte[] jpeg)
    {
        var bytes = new byte[Math.Min(jpeg.Length, 16 * 1024)];
        jpeg.AsSpan(0, 20).CopyTo(bytes);
        var rng = new SeedRandom((ulong)jpeg.Length);
        for (var i = 20; i < bytes.Length; i++) bytes[i] = (byte)rng.NextUInt64();
        return bytes;
    }
}
