using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

public enum TraceLocation
{
    Store,
    Index,
    Blobs,
}

/// <summary>
/// One place where what a request removed still shows: the store item key, the index document id
/// or the blob key, and which part of the identity matched ("artist id", "instagram handle",
/// "name + studio", "named image"). Never the matched value itself.
/// </summary>
public sealed record RemovalTrace(TraceLocation Location, string Key, string MatchedBy);

/// <summary>How much each scan looked at, so "no trace" can be told from "nothing scanned".</summary>
public sealed record AuditCoverage(long StoreItems, long IndexDocuments, long Blobs);

/// <summary>
/// What <see cref="RemovalAuditor"/> found for one request. <see cref="Notes"/> say what limits
/// the answer (a request not completed yet, image ids already deleted with the contact data).
/// </summary>
public sealed record RemovalAudit(
    string RequestId,
    RemovalRequestType Type,
    RemovalStatus Status,
    IReadOnlyList<RemovalTrace> Traces,
    IReadOnlyList<string> Notes,
    AuditCoverage Coverage)
{
    public bool Clean => Traces.Count == 0;
}

public sealed class RemovalRequestNotFoundException(string requestId)
    : Exception($"There is no removal request '{requestId}'.")
{
    public string RequestId { get; } = requestId;
}

/// <summary>
/// Looks through the store, the index and the blobs for anything a removal should have taken
/// away. A profile removal is matched by the request's keyed identity hashes, so the audit still
/// works after the contact data and every plaintext id are gone; an image removal by the named
/// images, for as long as the request still knows them.
/// </summary>
public sealed class RemovalAuditor(ITable table, ISearchIndex index, IBlobStore blobs, IdentityHasher hasher)
{
    /// <exception cref="RemovalRequestNotFoundException">no request has the id.</exception>
    public async Task<RemovalAudit> ScanAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        var item = await table.GetAsync(Keys.RemovalRequest(requestId), cancellationToken) ?? throw new RemovalRequestNotFoundException(requestId);
        var request = RemovalItems.Read(item);
        var notes = new List<string>();
        if (request.Status == RemovalStatus.Rejected)
        {
            notes.Add("The request was rejected: nothing was removed, so traces are expected.");
        }
        else if (request.Status != RemovalStatus.Completed)
        {
            notes.Add($"The request is {RemovalNames.Of(request.Status)}, not completed: traces are expected until its purge finishes.");
        }

        var target = await TargetOfAsync(request, cancellationToken);
        if (target.ArtistId is { } knownId && target.IdentityHashes.Count > 0 && !target.IdentityHashes.Contains(hasher.ArtistId(knownId)))
        {
            notes.Add("Warning: the denylist key differs from the one this request was hashed with, so no identity can match: an empty result proves nothing.");
        }
        var scan = new Scan(hasher, target.IdentityHashes);
        if (target.IdentityHashes.Count > 0)
        {
            await scan.StoreAsync(table, cancellationToken);
            await scan.IndexAsync(index, cancellationToken);
            await scan.BlobsAsync(blobs, cancellationToken);
        }
        if (target.ArtistId is { } artistId && target.ImageIds.Count > 0)
        {
            await scan.NamedImagesAsync(table, index, blobs, artistId, target.ImageIds, target.BlobKeys, cancellationToken);
        }
        else if (target.IdentityHashes.Count == 0)
        {
            notes.Add(request.ContactDeletedAt is { } deleted
                ? FormattableString.Invariant($"Nothing left to look for: the named images were forgotten with the contact data on {deleted.UtcDateTime:yyyy-MM-dd}.")
                : "Nothing to look for: the request names no identity and no images.");
        }
        return new RemovalAudit(request.RequestId, request.Type, request.Status, scan.Traces, notes, scan.Coverage);
    }

    /// <summary>
    /// What the purge acts on once approved; before that, what the submission points at (the
    /// matched profile, the handle and images supplied), so a pending request can be audited too.
    /// </summary>
    private async Task<AuditTarget> TargetOfAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        if (request.Purge is { Target: var fixedTarget })
        {
            return new AuditTarget(fixedTarget.IdentityHashes.ToHashSet(StringComparer.Ordinal), fixedTarget.ArtistId, fixedTarget.ImageIds, fixedTarget.BlobKeys);
        }
        var artistId = request.MatchedArtistId ?? request.Subject?.ArtistId;
        if (request.Type != RemovalRequestType.ProfileRemoval)
        {
            return new AuditTarget(new HashSet<string>(), artistId, request.Subject?.ImageIds ?? [], []);
        }
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        if (artistId is not null)
        {
            hashes.Add(hasher.ArtistId(artistId));
            if (await table.GetAsync(Keys.ArtistProfile(artistId), cancellationToken) is { } profile) hashes.UnionWith(hasher.All(ArtistItems.ReadArtist(profile)));
        }
        if (request.Subject?.InstagramHandle is { Length: > 0 } handle) hashes.Add(hasher.Instagram(handle));
        return new AuditTarget(hashes, null, [], []);
    }

    private sealed record AuditTarget(IReadOnlySet<string> IdentityHashes, string? ArtistId, IReadOnlyList<string> ImageIds, IReadOnlyList<string> BlobKeys);

    /// <summary>One audit's matching and findings.</summary>
    private sealed class Scan(IdentityHasher hasher, IReadOnlySet<string> hashes)
    {
        private long _storeItems, _indexDocuments, _blobs;

        public List<RemovalTrace> Traces { get; } = [];
        public AuditCoverage Coverage => new(_storeItems, _indexDocuments, _blobs);

        /// <summary>Artist partitions (profile by its whole identity, other items by id) and studio membership items.</summary>
        public async Task StoreAsync(ITable table, CancellationToken cancellationToken)
        {
            await foreach (var item in table.ScanAsync(Keys.ArtistPrefix, cancellationToken))
            {
                _storeItems++;
                var matched = item.Sk == Keys.Profile ? MatchedBy(ArtistItems.ReadArtist(item)) : MatchedBy(Keys.ArtistIdOf(item.Pk));
                Add(TraceLocation.Store, item.Key.ToString(), matched);
            }
            await foreach (var item in table.ScanAsync(Keys.StudioPrefix, cancellationToken))
            {
                _storeItems++;
                Add(TraceLocation.Store, item.Key.ToString(), MatchedBy(Keys.ArtistIdOf(item.Sk)));
            }
        }

        public async Task IndexAsync(ISearchIndex index, CancellationToken cancellationToken)
        {
            await foreach (var document in index.ListDocumentsAsync(cancellationToken))
            {
                _indexDocuments++;
                Add(TraceLocation.Index, document.ArtistId, MatchedBy(document.ArtistId, document.InstagramHandle, document.Name, document.StudioId));
            }
        }

        public async Task BlobsAsync(IBlobStore blobs, CancellationToken cancellationToken)
        {
            await foreach (var blob in blobs.ListAsync(ArtistBlobs.Root, cancellationToken))
            {
                _blobs++;
                Add(TraceLocation.Blobs, blob.Key, MatchedBy(ArtistBlobs.ArtistIdOf(blob.Key)));
            }
        }

        /// <summary>
        /// The named images' items, their files (the keys fixed at approval plus any an item still
        /// points at) and the artist's index document showing one of them as a thumbnail or avatar.
        /// </summary>
        public async Task NamedImagesAsync(ITable table, ISearchIndex index, IBlobStore blobs, string artistId, IReadOnlyList<string> imageIds, IReadOnlyList<string> blobKeys, CancellationToken cancellationToken)
        {
            const string namedImage = "named image";
            var keys = new SortedSet<string>(blobKeys, StringComparer.Ordinal);
            foreach (var imageId in imageIds)
            {
                _storeItems++;
                if (await table.GetAsync(Keys.ArtistImage(artistId, imageId), cancellationToken) is not { } item) continue;
                Add(TraceLocation.Store, item.Key.ToString(), namedImage);
                var image = ArtistItems.ReadImage(item);
                keys.Add(image.BlobKey);
                keys.Add(image.ThumbnailKey);
            }
            foreach (var key in keys)
            {
                _blobs++;
                if (await blobs.HeadAsync(key, cancellationToken) is not null) Add(TraceLocation.Blobs, key, namedImage);
            }
            var urls = keys.Select(blobs.GetPublicUrl).ToHashSet(StringComparer.Ordinal);
            await foreach (var document in index.ListDocumentsAsync(cancellationToken))
            {
                _indexDocuments++;
                if (document.ArtistId != artistId) continue;
                if (document.Thumbnails.Any(urls.Contains) || (document.AvatarUrl is { } avatar && urls.Contains(avatar))) Add(TraceLocation.Index, document.ArtistId, namedImage);
            }
        }

        private string? MatchedBy(string? artistId) =>
            artistId is not null && hashes.Contains(hasher.ArtistId(artistId)) ? "artist id" : null;

        private string? MatchedBy(Artist artist) => MatchedBy(artist.ArtistId, artist.InstagramHandle, artist.Name, artist.StudioId);

        private string? MatchedBy(string artistId, string? handle, string name, string? studioId)
        {
            var matched = new List<string>(3);
            if (MatchedBy(artistId) is { } id) matched.Add(id);
            if (!string.IsNullOrWhiteSpace(handle) && hashes.Contains(hasher.Instagram(handle))) matched.Add("instagram handle");
            if (hashes.Contains(hasher.NameAtStudio(name, studioId))) matched.Add("name + studio");
            return matched.Count == 0 ? null : string.Join(", ", matched);
        }

        private void Add(TraceLocation location, string key, string? matchedBy)
        {
            if (matchedBy is not null) Traces.Add(new RemovalTrace(location, key, matchedBy));
        }
    }
}
