namespace TattooDirectory.Core.Blobs;

/// <summary>Where an artist's files live: every blob of one artist sits under one prefix, so a purge or a guard can find them all.</summary>
public static class ArtistBlobs
{
    public const string Root = "artists/";

    public static string Prefix(string artistId) => $"{Root}{artistId}/";

    /// <summary>The artist id a blob key belongs to, or null for a key outside <see cref="Root"/>.</summary>
    public static string? ArtistIdOf(string key)
    {
        if (!key.StartsWith(Root, StringComparison.Ordinal)) return null;
        var end = key.IndexOf('/', Root.Length);
        return end <= Root.Length ? null : key[Root.Length..end];
    }
}

public sealed record BlobInfo(string Key, string ContentType, long Length, string? CacheControl, DateTimeOffset LastModified);

/// <summary>An open blob; dispose it to release the content stream.</summary>
public sealed class Blob(BlobInfo info, Stream content) : IAsyncDisposable, IDisposable
{
    public BlobInfo Info { get; } = info;
    public Stream Content { get; } = content;
    public ValueTask DisposeAsync() => Content.DisposeAsync();
    public void Dispose() => Content.Dispose();
}

/// <summary>
/// Blob storage (S3-shaped). Keys are relative paths of lowercase letters, digits, '-', '_', '.'
/// and '/' segments (no "..", no leading '/'); anything else is rejected with ArgumentException.
/// A put is atomic: readers see the old blob or the whole new one, never a partial file.
/// </summary>
public interface IBlobStore
{
    Task PutAsync(string key, Stream content, string contentType, string? cacheControl = null, CancellationToken cancellationToken = default);

    Task<Blob?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<BlobInfo?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Returns false when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>A time-limited URL to GET the blob (S3 presigned URL; a signed app URL locally).</summary>
    Uri GetSignedUrl(string key, TimeSpan validFor);

    /// <summary>The public, cacheable URL of an immutable blob (images).</summary>
    string GetPublicUrl(string key);
}
