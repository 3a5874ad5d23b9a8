using System.Collections.Concurrent;
using NetVips;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// Raster files for the demo web, in the size and format the manifest states. Rasterising the
/// seed's SVG artwork costs up to a second per image for the pattern-filled styles (dotwork,
/// illustrative), far too slow for a benchmark fetching thousands, so each style is drawn as a
/// few "plates" once, and every portfolio image is one of its style's plates, mirrored or not
/// and tinted by its own look: distinct pixels for a few milliseconds each. Output is a pure
/// function of the image, so files are kept (within a byte budget) and re-served unchanged.
/// </summary>
internal sealed class DemoImages(long cacheBytes)
{
    /// <summary>
    /// Drawings per style and shape (square or portrait); with mirroring, eight compositions each.
    /// Few enough that the plates' one-off cost is shared by many images even in a small run.
    /// </summary>
    public const int PlatesPerStyle = 4;

    private const int JpegQuality = 82;

    private readonly ConcurrentDictionary<(string Style, int Variant, int Height), Lazy<byte[]>> plates = new();
    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private long cached;

    public byte[] Portfolio(DemoImage image) => Cached(image.ImageId, () => image.Fault switch
    {
        ImageFault.PixelBomb => PixelBomb(image.Width),
        ImageFault.Corrupt => Corrupt(Render(image, ImageFormat.Jpeg)),
        _ => Render(image, image.Format),
    });

    public byte[] Avatar(DemoArtist artist) => Cached("avatar:" + artist.Artist.ArtistId, () =>
    {
        using var avatar = Image.SvgloadBuffer(artist.Avatar.Render());
        using var flat = Flatten(avatar);
        return flat.PngsaveBuffer(compression: 6);
    });

    private byte[] Cached(string key, Func<byte[]> render)
    {
        if (files.TryGetValue(key, out var bytes)) return bytes;
        bytes = render();
        // Two requests racing for one file both render it; the bytes are identical either way.
        if (Interlocked.Add(ref cached, bytes.Length) <= cacheBytes) files.TryAdd(key, bytes);
        else Interlocked.Add(ref cached, -bytes.Length);
        return bytes;
    }

    private byte[] Render(DemoImage image, ImageFormat format)
    {
        var look = image.Look;
        var plateHeight = DemoWebGenerator.ImageWidth * image.Height / image.Width;
        var plate = plates.GetOrAdd((image.Style.Id, (int)(look % PlatesPerStyle), plateHeight), key => new Lazy<byte[]>(() => Plate(key.Style, key.Variant, key.Height)));
        using var loaded = Image.NewFromBuffer(plate.Value, access: Enums.Access.Sequential);
        using var mirrored = (look >> 8 & 1) == 1 ? loaded.FlipHor() : loaded.Copy();
        // A faint per-channel tint, at most 6 %: the paper shifts, the ink stays black.
        double Tint(int shift) => 1 - ((look >> shift) % 24 / 400.0);
        using var tinted = mirrored.Linear([Tint(16), Tint(24), Tint(32)], [0, 0, 0], uchar: true);
        using var sized = image.Width == DemoWebGenerator.ImageWidth ? tinted.Copy() : tinted.Resize((double)image.Width / DemoWebGenerator.ImageWidth);
        return format == ImageFormat.Png ? sized.PngsaveBuffer(compression: 3) : sized.JpegsaveBuffer(q: JpegQuality);
    }

    /// <summary>One of a style's drawings at the demo's image width, kept losslessly (about 100 KiB).</summary>
    private static byte[] Plate(string style, int variant, int height)
    {
        var svg = Artwork.Piece(style, SeedRandom.Mix((ulong)variant + 1), height * Artwork.Size / DemoWebGenerator.ImageWidth, style, thumbnail: false);
        using var drawn = Image.SvgloadBuffer(svg, scale: (double)DemoWebGenerator.ImageWidth / Artwork.Size);
        using var flat = Flatten(drawn);
        return flat.PngsaveBuffer(compression: 1);
    }

    /// <summary>The artwork paints its own paper; flattening drops the alpha channel JPEG cannot hold.</summary>
    private static Image Flatten(Image image) => image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();

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
