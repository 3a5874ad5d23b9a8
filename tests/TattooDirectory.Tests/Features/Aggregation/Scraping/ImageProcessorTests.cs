using NetVips;
using TattooDirectory.Features.Aggregation.Scraping;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

public sealed class ImageProcessorTests
{
    private readonly ImageProcessor _processor = new(new ScrapeOptions());

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header_without_allocating_its_pixels()
    {
        // 16,000² pixels (256 MB as one band) in a few hundred kilobytes of PNG, as the demo web serves it.
        const int side = 16_000;
        byte[] bomb;
        using (var black = Image.Black(side, side, bands: 1)) bomb = black.PngsaveBuffer(compression: 9, filter: Enums.ForeignPngFilter.None);
        var highwaterBefore = Stats.MemHighwater;

        var outcome = _processor.Process(bomb);

        Assert.Null(outcome.Image);
        Assert.Equal("too many pixels", outcome.Refusal);
        // libvips tracks every pixel buffer it allocates; decoding the bomb would have pushed the peak past its size.
        Assert.True(Stats.MemHighwater == highwaterBefore || Stats.MemHighwater < (long)side * side, $"libvips peak {Stats.MemHighwater} bytes");
    }

    [Theory]
    [InlineData("garbage after a JPEG header")]
    [InlineData("an svg document")]
    [InlineData("nothing")]
    public void Files_that_are_not_a_decodable_raster_image_are_refused(string what)
    {
        byte[] data = what switch
        {
            "an svg document" => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"u8.ToArray(),
            "nothing" => [],
            _ => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919))],
        };

        var outcome = _processor.Process(data);

        Assert.Null(outcome.Image);
        Assert.NotNull(outcome.Refusal);
    }

    [Fact]
    public void An_image_is_turned_upright_scaled_to_both_sizes_and_stripped_of_its_metadata()
    {
        // 3000×2000 landscape pixels tagged "rotate 90° clockwise to display" (EXIF orientation 6), with EXIF to strip.
        byte[] jpeg;
        using (var colour = Image.Black(3000, 2000, bands: 3).Linear([1, 1, 1], [200, 40, 40], uchar: true))
        using (var tagged = colour.Mutate(m =>
        {
            m.Set(GValue.GIntType, "orientation", 6);
            m.Set(GValue.GStrType, "exif-ifd0-Artist", "Someone Private");
        }))
        {
            jpeg = tagged.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.All);
        }

        var outcome = _processor.Process(jpeg);

        var image = Assert.IsType<ProcessedImage>(outcome.Image);
        Assert.Equal((800, 1200), (image.Width, image.Height));
        using var full = Image.NewFromBuffer(image.Full);
        using var thumb = Image.NewFromBuffer(image.Thumbnail);
        Assert.Equal((800, 1200), (full.Width, full.Height));
        Assert.Equal((267, 400), (thumb.Width, thumb.Height));
        Assert.All(new[] { full, thumb }, i => Assert.DoesNotContain(i.GetFields(), f => f is "exif-data" or "xmp-data" or "iptc-data" or "orientation"));
        Assert.Equal(64, image.Hash.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Full)), image.Hash);
    }

    [Fact]
    public void A_small_image_is_never_enlarged()
    {
        byte[] png;
        using (var small = Image.Black(120, 80, bands: 3)) png = small.PngsaveBuffer();

        var image = Assert.IsType<ProcessedImage>(_processor.Process(png).Image);

        Assert.Equal((120, 80), (image.Width, image.Height));
        Assert.Equal((120, 80), (image.ThumbnailWidth, image.ThumbnailHeight));
    }

    [Fact]
    public void The_same_picture_always_gets_the_same_content_hash()
    {
        byte[] png;
        using (var pixels = Image.Black(300, 300, bands: 3).Linear([1, 1, 1], [10, 120, 30], uchar: true)) png = pixels.PngsaveBuffer();

        Assert.Equal(_processor.Process(png).Image!.Hash, _processor.Process(png).Image!.Hash);
    }
}
