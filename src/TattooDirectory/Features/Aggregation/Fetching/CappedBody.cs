namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>A body read up to a cap: at most cap + 1 bytes are ever held, however much the server sends or the decompressor produces.</summary>
internal readonly record struct CappedBody(byte[] Buffer, int Length, bool Exceeded)
{
    private const int FirstChunk = 64 * 1024;

    public ReadOnlyMemory<byte> Content => Buffer.AsMemory(0, Length);

    /// <summary>
    /// Reads until the end or until one byte past <paramref name="cap"/>. The buffer starts at the
    /// declared length (when it fits) and doubles, so an honest response is read without copies
    /// and a lying one costs no more than the cap.
    /// </summary>
    public static async Task<CappedBody> ReadAsync(Stream stream, long? declaredLength, int cap, CancellationToken ct)
    {
        var limit = cap + 1L;
        var buffer = new byte[(int)Math.Min(declaredLength is > 0 ? declaredLength.Value + 1 : FirstChunk, limit)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length == limit)
                {
                    return new CappedBody(buffer, cap, Exceeded: true);
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                return new CappedBody(buffer, length, Exceeded: false);
            }

            length += read;
        }
    }
}
