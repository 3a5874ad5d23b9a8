using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Caching;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// Runs the purge of an approved removal request as a sequence of idempotent steps, each
/// recorded on the request (with its audit entry) in one conditional transaction, so a purge
/// stopped anywhere resumes at the first unrecorded step and redoes only work that is safe to
/// redo. The denylist goes in before anything is deleted, so no writer can put back what the
/// later steps remove. The runner never writes the index: the sync follows the store's deletes,
/// and the runner waits until the index shows them.
/// </summary>
public sealed partial class PurgeRunner(
    ITable table,
    IBlobStore blobs,
    ISearchIndex index,
    ArtistCatalog catalog,
    Denylist denylist,
    IEnumerable<IResponseCacheInvalidator> caches,
    TimeProvider time,
    ILogger<PurgeRunner> logger)
{
    private static readonly PurgeStep[] ProfileSteps =
        [PurgeStep.Denylisted, PurgeStep.StoreCleared, PurgeStep.BlobsDeleted, PurgeStep.IndexCleared, PurgeStep.CachesInvalidated, PurgeStep.Confirmed];

    // An image removal leaves the identity listed: it denylists nothing.
    private static readonly PurgeStep[] ImageSteps =
        [PurgeStep.StoreCleared, PurgeStep.BlobsDeleted, PurgeStep.IndexCleared, PurgeStep.CachesInvalidated, PurgeStep.Confirmed];

    private readonly IResponseCacheInvalidator[] _caches = [.. caches];

    /// <summary>Called after each step is recorded: a fault-injection point for tests (throw to "crash" there).</summary>
    public Func<PurgeStep, CancellationToken, ValueTask>? AfterStep { get; init; }

    /// <summary>How long the index step waits for the sync before the step fails (to be retried).</summary>
    public TimeSpan IndexWaitLimit { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan IndexPollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Runs (or resumes) the purge of the request until it is completed. Returns the request as
    /// left, which is unchanged when it is not an approved request; null when there is none.
    /// </summary>
    public async Task<RemovalRequest?> RunAsync(string requestId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var item = await table.GetAsync(Keys.RemovalRequest(requestId), cancellationToken);
            if (item is null) return null;
            var request = RemovalItems.Read(item);
            if (request is not { Status: RemovalStatus.Approved, Purge: { } purge }) return request;
            var step = StepsOf(purge.Target).First(s => s > purge.Step);
            if (!await RunStepAsync(step, request, purge, cancellationToken)) continue;
            LogStep(logger, requestId, step);
            if (AfterStep is { } hook) await hook(step, cancellationToken);
        }
    }

    /// <summary>The steps a purge of this target runs, in order (what an operator's page lists as its progress).</summary>
    public static IReadOnlyList<PurgeStep> StepsOf(PurgeTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return IsImageRemoval(target) ? ImageSteps : ProfileSteps;
    }

    private static bool IsImageRemoval(PurgeTarget target) => target.ImageIds.Count > 0;

    /// <summary>Does one step and records it; false when the request changed meanwhile (read it again and redo).</summary>
    private async Task<bool> RunStepAsync(PurgeStep step, RemovalRequest request, PurgeProgress purge, CancellationToken cancellationToken)
    {
        var target = purge.Target;
        var now = time.GetUtcNow();
        var next = purge with { Step = step };
        switch (step)
        {
            case PurgeStep.Denylisted:
                {
                    // The profile's version is pinned in the same transaction: once denylisted it
                    // cannot be rewritten, so its removal will reach the index at version + 1.
                    var profileKey = target.ArtistId is null ? (ItemKey?)null : Keys.ArtistProfile(target.ArtistId);
                    var profile = profileKey is { } key ? await table.GetAsync(key, cancellationToken) : null;
                    // The identity as it is now joins the one fixed at approval: a handle or studio
                    // changed since then must not slip past the denylist.
                    var hashes = target.IdentityHashes.Union(profile is null ? [] : denylist.HashesOf(target.ArtistId!, ArtistItems.ReadArtist(profile)), StringComparer.Ordinal).ToList();
                    List<TableWrite> writes = [.. hashes.Select(h => Denylist.Entry(h, request.RequestId, now))];
                    if (profileKey is { } pinned) writes.Add(new TableWrite.Check(pinned, profile is null ? WriteCondition.NotExists : WriteCondition.VersionEquals(profile.Version)));
                    return await RecordAsync(request with { Purge = next with { IndexVersion = profile?.Version + 1 } }, step, $"identities={hashes.Count}", writes, cancellationToken);
                }
            case PurgeStep.StoreCleared when IsImageRemoval(target):
                {
                    var version = target.ArtistId is null ? null : await catalog.RemoveImagesAsync(target.ArtistId, target.ImageIds, cancellationToken);
                    return await RecordAsync(request with { Purge = next with { IndexVersion = version } }, step, $"images={target.ImageIds.Count}", [], cancellationToken);
                }
            case PurgeStep.StoreCleared:
                {
                    var items = target.ArtistId is null ? 0 : await ClearStoreAsync(target, cancellationToken);
                    return await RecordAsync(request with { Purge = next }, step, $"items={items}", [], cancellationToken);
                }
            case PurgeStep.BlobsDeleted:
                {
                    var deleted = await DeleteBlobsAsync(target, IsImageRemoval(target), cancellationToken);
                    return await RecordAsync(request with { Purge = next }, step, $"blobs={deleted}", [], cancellationToken);
                }
            case PurgeStep.IndexCleared:
                await WaitForIndexAsync(purge, cancellationToken);
                return await RecordAsync(request with { Purge = next }, step, null, [], cancellationToken);
            case PurgeStep.CachesInvalidated:
                {
                    if (target.ArtistId is not null)
                    {
                        string[] studios = target.StudioId is null ? [] : [target.StudioId];
                        foreach (var cache in _caches) await cache.InvalidateAsync([target.ArtistId], studios, cancellationToken);
                    }
                    return await RecordAsync(request with { Purge = next }, step, $"caches={_caches.Length}", [], cancellationToken);
                }
            case PurgeStep.Confirmed:
                {
                    // Completion and the confirmation commit together: never told without being
                    // done, never done without being told, never told twice.
                    var completed = request with { Status = RemovalStatus.Completed, ClosedAt = now, Purge = next with { CompletedAt = now } };
                    var confirmation = Outbox.Publish(Topics.RemovalConfirmations, RemovalMessages.Completed(completed), $"{request.RequestId}:confirmed", now);
                    return await RecordAsync(completed, step, null, [confirmation], cancellationToken);
                }
            default:
                throw new InvalidOperationException($"A purge has no step {step} to run.");
        }
    }

    private async Task<bool> RecordAsync(RemovalRequest next, PurgeStep step, string? detail, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        var (recorded, audit) = AuditTrail.Append(next, "purge:" + step.ToString().ToLowerInvariant(), detail, time.GetUtcNow());
        try
        {
            await table.TransactWriteAsync([RemovalItems.Update(recorded), audit, .. writes], cancellationToken);
            return true;
        }
        catch (TransactionCanceledException)
        {
            return false;
        }
    }

    /// <summary>Deletes the artist's partition (profile, styles, images), studio links and sync dead letters; returns how many items went.</summary>
    private async Task<int> ClearStoreAsync(PurgeTarget target, CancellationToken cancellationToken)
    {
        var artistId = target.ArtistId!;
        var studios = new HashSet<string>(StringComparer.Ordinal);
        if (target.StudioId is not null) studios.Add(target.StudioId);
        var deleted = 0;
        // Repeat until a read finds nothing: a batch writer that checked the denylist before it
        // was written may land items between passes (it undoes them itself on its re-check).
        while (true)
        {
            var page = await table.QueryAsync(new TableQuery(Keys.ArtistPk(artistId)) { Limit = 1000 }, cancellationToken);
            if (page.Items.Count == 0) break;
            foreach (var profile in page.Items.Where(i => i.Sk == Keys.Profile))
            {
                if (ArtistItems.ReadArtist(profile).StudioId is { } studioId) studios.Add(studioId);
            }
            await table.BatchWriteAsync([.. page.Items.Select(i => new TableWrite.Delete(i.Key))], cancellationToken);
            deleted += page.Items.Count;
        }
        List<TableWrite> links = [.. studios.Select(s => new TableWrite.Delete(Keys.StudioMember(s, artistId)))];
        await foreach (var letter in DeadLettersOfAsync(artistId, cancellationToken)) links.Add(new TableWrite.Delete(letter));
        if (links.Count > 0) await table.BatchWriteAsync(links, cancellationToken);
        return deleted + links.Count;
    }

    private async IAsyncEnumerable<ItemKey> DeadLettersOfAsync(string artistId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await table.QueryAsync(new TableQuery(Keys.SyncDeadLetterPk) { Limit = 1000, Cursor = cursor }, cancellationToken);
            foreach (var item in page.Items)
            {
                var letter = System.Text.Json.JsonSerializer.Deserialize(item.Data, CatalogJson.Default.SyncDeadLetter);
                if (letter?.ArtistId == artistId || Keys.ArtistIdOf(letter?.Pk ?? "") == artistId) yield return item.Key;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private async Task<int> DeleteBlobsAsync(PurgeTarget target, bool imagesOnly, CancellationToken cancellationToken)
    {
        var deleted = 0;
        if (imagesOnly)
        {
            foreach (var key in target.BlobKeys)
            {
                if (await blobs.DeleteAsync(key, cancellationToken)) deleted++;
            }
            return deleted;
        }
        if (target.ArtistId is null) return 0;
        while (true)
        {
            var keys = new List<string>();
            await foreach (var blob in blobs.ListAsync(ArtistBlobs.Prefix(target.ArtistId), cancellationToken)) keys.Add(blob.Key);
            if (keys.Count == 0) return deleted;
            foreach (var key in keys)
            {
                if (await blobs.DeleteAsync(key, cancellationToken)) deleted++;
            }
        }
    }

    /// <summary>
    /// Waits, bounded, until the index shows the store's change: the version recorded by an
    /// earlier step (the profile's tombstone, or the profile rewritten without the images), or,
    /// when there was no profile to pin, no live document at all.
    /// </summary>
    private async Task WaitForIndexAsync(PurgeProgress purge, CancellationToken cancellationToken)
    {
        if (purge.Target.ArtistId is not { } artistId) return;
        var deadline = time.GetUtcNow() + IndexWaitLimit;
        while (!await IndexShowsAsync(artistId, purge.IndexVersion, cancellationToken))
        {
            if (time.GetUtcNow() >= deadline) throw new TimeoutException($"The search index did not catch up with the purge within {IndexWaitLimit.TotalSeconds:F0} s.");
            await Task.Delay(IndexPollInterval, time, cancellationToken);
        }
    }

    private async Task<bool> IndexShowsAsync(string artistId, long? expectedVersion, CancellationToken cancellationToken)
    {
        var version = await index.GetVersionAsync(artistId, cancellationToken);
        if (expectedVersion is { } expected) return version >= expected;
        if (version is null) return true;
        // A version alone does not tell a tombstone from a live document; the listing does.
        await foreach (var (id, _) in index.ListAsync(cancellationToken))
        {
            if (id == artistId) return false;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removal {RequestId}: purge step {Step} done")]
    private static partial void LogStep(ILogger logger, string requestId, PurgeStep step);
}
