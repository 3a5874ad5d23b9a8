using System.Security.Cryptography;
using NetVips;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>A portfolio image ready to store: both WebP files and the SHA-256 (hex) of the full one.</summary>
internal sealed record ProcessedImage(string Hash, byte[] Full, int Width, int Height, byte[] Thumbnail, int ThumbnailWidth, int ThumbnailHeight);

/// <summary>The outcome of processing one downloaded file: an image, or why it was refused.</summary>
internal readonly record struct ImageOutcome(ProcessedImage? Image, string? Refusal)
{
    public static ImageOutcome Refused(string reason) => new(null, reason);
}

/// <summary>
/// Turns a downloaded image into what the directory serves: decoded with libvips, turned upright
/// from its orientation tag, scaled down to the full and thumbnail sizes and written as WebP with
/// no metadata (EXIF carries GPS positions and camera serials; XMP and ICC are dropped too).
/// Only JPEG, PNG, WebP and GIF are decoded, and only after the header shows a sane pixel count:
/// libvips reads the header without touching the pixels, so a decompression bomb costs nothing.
/// </summary>
internal sealed class ImageProcessor(ScrapeOptions options)
{
    private static readonly string[] Loaders = ["jpegload", "pngload", "webpload", "gifload"];

    public ImageOutcome Process(byte[] data)
    {
        try
        {
            using (var header = Image.NewFromBuffer(data, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error))
            {
                var loader = header.Contains("vips-loader") ? header.Get("vips-loader") as string : null;
                if (loader is null || !Loaders.Any(l => loader.StartsWith(l, StringComparison.Ordinal))) return ImageOutcome.Refused("unsupported format");
                if ((long)header.Width * header.Height > options.MaxPixels) return ImageOutcome.Refused("too many pixels");
            }

            // Thumbnailing from the buffer lets the JPEG loader shrink while decoding (far less memory
            // than decode-then-resize). The full size is kept in memory (at most 1200² pixels) so the
            // thumbnail is made from it, not from a second decode.
            using var loaded = Image.ThumbnailBuffer(data, options.FullSize, height: options.FullSize, size: Enums.Size.Down, failOn: Enums.FailOn.Error);
            using var scaled = loaded.CopyMemory();
            var full = Save(scaled);
            using var thumb = scaled.ThumbnailImage(options.ThumbnailSize, height: options.ThumbnailSize, size: Enums.Size.Down);
            var thumbnail = Save(thumb);
            var hash = Convert.ToHexStringLower(SHA256.HashData(full));
            return new ImageOutcome(new ProcessedImage(hash, full, scaled.Width, scaled.Height, thumbnail, thumb.Width, thumb.Height), null);
        }
        catch (VipsException)
        {
            // The message quotes libvips' parser state, not anything personal, but the kind is all a report needs.
            return ImageOutcome.Refused("undecodable");
        }
    }

    private byte[] Save(Image image) => image.WebpsaveBuffer(q: options.WebpQuality, effort: options.WebpEffort, keep: Enums.ForeignKeep.None);
}
