using TattooDirectory.Core.Blobs;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// The blob store as every writer sees it: a put under the prefix of a denylisted artist is
/// refused. A blob put cannot be made conditional on a table item, so it checks, puts and checks
/// again; the purge denylists before it deletes the artist's blobs, so a racing put is either
/// deleted by the purge or undone here. Everything else passes through.
/// </summary>
public sealed class DenylistedBlobStore(IBlobStore inner, Denylist denylist) : IBlobStore
{
    public async Task PutAsync(string key, Stream content, string contentType, string? cacheControl = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ArtistBlobs.ArtistIdOf(key) is not { } artistId)
        {
            await inner.PutAsync(key, content, contentType, cacheControl, cancellationToken);
            return;
        }
        if (await denylist.IsArtistIdDeniedAsync(artistId, cancellationToken)) throw new IdentityDeniedException([artistId]);
        await inner.PutAsync(key, content, contentType, cacheControl, cancellationToken);
        if (await denylist.IsArtistIdDeniedAsync(artistId, cancellationToken))
        {
            await inner.DeleteAsync(key, cancellationToken);
            throw new IdentityDeniedException([artistId]);
        }
    }

    public Task<Blob?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<BlobInfo?> HeadAsync(string key, CancellationToken cancellationToken = default) => inner.HeadAsync(key, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Uri GetSignedUrl(string key, TimeSpan validFor) => inner.GetSignedUrl(key, validFor);

    public string GetPublicUrl(string key) => inner.GetPublicUrl(key);
}
