using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// The blob store as every writer sees it: a put under the prefix of a denylisted artist is
/// refused. A blob put cannot be made conditional on a table item, so it checks, puts and checks
/// again; the purge denylists before it deletes the artist's blobs, so a racing put is either
/// deleted by the purge or undone here. Everything else passes through.
/// </summary>
public sealed class DenylistedBlobStore(IBlobStore inner, Denylist denylist) : IBlobStore
{
    private readonly CoalescedCheck _check = new(denylist);

    public async Task PutAsync(string key, Stream content, string contentType, string? cacheControl = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ArtistBlobs.ArtistIdOf(key) is not { } artistId)
        {
            await inner.PutAsync(key, content, contentType, cacheControl, cancellationToken);
            return;
        }
        if (await _check.IsDeniedAsync(artistId, cancellationToken)) throw new IdentityDeniedException([artistId]);
        await inner.PutAsync(key, content, contentType, cacheControl, cancellationToken);
        // Not cancellable: a put that landed must be re-checked, or a racing purge could leave it behind.
        if (await _check.IsDeniedAsync(artistId, CancellationToken.None))
        {
            await inner.DeleteAsync(key, CancellationToken.None);
            throw new IdentityDeniedException([artistId]);
        }
    }

    public Task<Blob?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<BlobInfo?> HeadAsync(string key, CancellationToken cancellationToken = default) => inner.HeadAsync(key, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Uri GetSignedUrl(string key, TimeSpan validFor) => inner.GetSignedUrl(key, validFor);

    public string GetPublicUrl(string key) => inner.GetPublicUrl(key);

    /// <summary>
    /// Answers "is this artist id denied?" for many concurrent puts with few reads: callers that
    /// ask while no read has started yet join the next one, which checks all their ids at once.
    /// A joined read always starts after the caller asked, so it is as fresh as a read of the
    /// caller's own (the re-check after a put stays sound). Seeding puts thousands of files at
    /// once; without this each would cost two denylist reads.
    /// </summary>
    private sealed class CoalescedCheck(Denylist denylist)
    {
        private readonly Lock _lock = new();
        private Dictionary<string, TaskCompletionSource<bool>>? _next;

        public Task<bool> IsDeniedAsync(string artistId, CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool>? answer;
            var start = false;
            lock (_lock)
            {
                if (_next is null)
                {
                    _next = new Dictionary<string, TaskCompletionSource<bool>>(StringComparer.Ordinal);
                    start = true;
                }
                if (!_next.TryGetValue(artistId, out answer)) _next[artistId] = answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            if (start) _ = Task.Run(ReadAsync, CancellationToken.None);
            return answer.Task.WaitAsync(cancellationToken);
        }

        private async Task ReadAsync()
        {
            Dictionary<string, TaskCompletionSource<bool>> batch;
            lock (_lock)
            {
                batch = _next!;
                _next = null;
            }
            try
            {
                var denied = await denylist.DeniedAmongAsync(batch.Keys.ToDictionary(id => id, _ => (Artist?)null, StringComparer.Ordinal));
                foreach (var (id, answer) in batch) answer.SetResult(denied.Contains(id));
            }
            catch (Exception ex)
            {
                foreach (var answer in batch.Values) answer.SetException(ex);
            }
        }
    }
}
