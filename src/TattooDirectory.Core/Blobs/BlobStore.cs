namespace TattooDirectory.Core.Blobs;

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
