using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.StaticFiles;

namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// The headers of a blob (content type, cache control), kept in a small JSON file in a tree
/// parallel to the content, so a blob's content file stays byte-for-byte what was put and the
/// web host can serve it directly. A blob without a sidecar (copied in by hand) gets the
/// standard content type of its extension.
/// </summary>
internal static class BlobSidecar
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static Task<string> WriteTempAsync(string path, BlobHeaders headers, DateTimeOffset now, CancellationToken cancellationToken) =>
        AtomicFile.WriteTempAsync(
            path,
            (stream, ct) => JsonSerializer.SerializeAsync(stream, headers, BlobHeadersJsonContext.Default.BlobHeaders, ct),
            now,
            cancellationToken);

    public static BlobHeaders Read(string path, string key)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, BlobHeadersJsonContext.Default.BlobHeaders) ?? Derived(key);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Derived(key);
        }
    }

    private static BlobHeaders Derived(string key) =>
        new(ContentTypes.TryGetContentType(key, out var type) ? type : "application/octet-stream", null);
}

internal sealed record BlobHeaders(string ContentType, string? CacheControl);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BlobHeaders))]
internal sealed partial class BlobHeadersJsonContext : JsonSerializerContext;
