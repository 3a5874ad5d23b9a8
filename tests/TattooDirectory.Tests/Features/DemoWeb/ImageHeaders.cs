using System.Buffers.Binary;

namespace TattooDirectory.Tests.Features.DemoWeb;

/// <summary>The format and pixel size an image file declares in its header, read without decoding it.</summary>
public static class ImageHeaders
{
    public static (string Format, int Width, int Height)? Read(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (file.Length >= 24 && file[..8].SequenceEqual(png) && file.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return ("png", BinaryPrimitives.ReadInt32BigEndian(file[16..]), BinaryPrimitives.ReadInt32BigEndian(file[20..]));
        }
        return file.Length >= 4 && file[0] == 0xFF && file[1] == 0xD8 ? Jpeg(file) : null;
    }

    /// <summary>Walks the JPEG segments to the start-of-frame marker, which holds height then width.</summary>
    private static (string, int, int)? Jpeg(ReadOnlySpan<byte> file)
    {
        var at = 2;
        while (at + 9 < file.Length && file[at] == 0xFF)
        {
            var marker = file[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(file[(at + 2)..]);
            var startOfFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (startOfFrame) return ("jpeg", BinaryPrimitives.ReadUInt16BigEndian(file[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(file[(at + 5)..]));
            at += 2 + length;
        }
        return null;
    }
}
