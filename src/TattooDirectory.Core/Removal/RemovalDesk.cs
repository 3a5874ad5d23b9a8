using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>A validated submission: who asks, for what, about which profile.</summary>
public sealed record RemovalSubmission(RemovalRequestType Type, RequesterContact Requester, RemovalSubject Subject);

public sealed record RemovalPage(IReadOnlyList<RemovalRequest> Items, string? NextCursor);

public enum DecisionOutcome
{
    Done,
    NotFound,
    /// <summary>The request was already decided (a second approve or reject).</summary>
    NotPending,
}

public sealed record RemovalDecision(DecisionOutcome Outcome, RemovalRequest? Request);

/// <summary>
/// Takes removal requests in and through the operator's decision. Every change of a request is
/// one transaction, conditional on the version it was read at, with its audit entry and (where
/// someone must hear of it) its outbox notification, so a crash or a race never leaves a
/// decision half recorded, recorded twice, or told twice.
/// </summary>
public sealed partial class RemovalDesk(ITable table, Denylist denylist, TimeProvider time)
{
    private const int MaxAttempts = 10;

    [GeneratedRegex("^rem-[a-z0-9]{20}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex("^/artists/(artist-[a-z0-9]{4,40})/?$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfilePath();

    public static bool IsRequestId(string? value) => value is not null && RequestIdPattern().IsMatch(value);

    /// <summary>A new request id: 100 random bits, so ids can be neither guessed nor counted.</summary>
    public static string NewRequestId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return "rem-" + RandomNumberGenerator.GetString(alphabet, 20);
    }

    /// <summary>The artist id in a profile URL of this site (<c>https://…/artists/{id}</c>), or null.</summary>
    public static string? ArtistIdFromProfileUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && ProfilePath().Match(uri.AbsolutePath) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Stores the request as pending and notifies the operators, in one transaction.</summary>
    public async Task<RemovalRequest> SubmitAsync(RemovalSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var now = time.GetUtcNow();
        var request = new RemovalRequest
        {
            RequestId = NewRequestId(),
            Type = submission.Type,
            Status = RemovalStatus.Pending,
            CreatedAt = now,
            Requester = submission.Requester,
            Subject = submission.Subject,
            MatchedArtistId = await MatchAsync(submission.Subject, cancellationToken),
        };
        var (stored, audit) = AuditTrail.Append(request, "submitted", $"type={RemovalNames.Of(request.Type)}; matched={request.MatchedArtistId is not null}", now);
        await table.TransactWriteAsync(
        [
            new TableWrite.Put(RemovalItems.ToItem(stored), WriteCondition.NotExists),
            audit,
            Outbox.Publish(Topics.RemovalRequests, RemovalMessages.Submitted(stored), $"{stored.RequestId}:submitted", now),
        ], cancellationToken);
        return stored with { Version = 1 };
    }

    public async Task<RemovalRequest?> GetAsync(string requestId, CancellationToken cancellationToken = default) =>
        IsRequestId(requestId) && await table.GetAsync(Keys.RemovalRequest(requestId), cancellationToken) is { } item ? RemovalItems.Read(item) : null;

    /// <summary>One page of the requests in a status, oldest first.</summary>
    public async Task<RemovalPage> ListAsync(RemovalStatus status, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var partition = Keys.RemovalsByStatus(RemovalNames.Of(status), default, "").Pk;
        var page = await table.QueryAsync(new TableQuery(partition) { Index = TableIndex.Gsi4, Limit = limit, Cursor = cursor }, cancellationToken);
        return new RemovalPage([.. page.Items.Select(RemovalItems.Read)], page.NextCursor);
    }

    /// <summary>
    /// The listed profile the subject names, if it still exists: by artist id, then profile URL,
    /// then Instagram handle.
    /// </summary>
    public async Task<string?> MatchAsync(RemovalSubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        foreach (var id in new[] { subject.ArtistId, ArtistIdFromProfileUrl(subject.ProfileUrl) })
        {
            if (Identifiers.IsArtistId(id) && await table.GetAsync(Keys.ArtistProfile(id!), cancellationToken) is not null) return id;
        }
        if (string.IsNullOrWhiteSpace(subject.InstagramHandle)) return null;
        var byHandle = await table.QueryAsync(new TableQuery(Keys.Instagram(IdentityHasher.NormaliseHandle(subject.InstagramHandle)).Pk) { Index = TableIndex.Gsi3, Limit = 1 }, cancellationToken);
        return byHandle.Items.Count == 0 ? null : Keys.ArtistIdOf(byHandle.Items[0].Pk);
    }

    /// <summary>
    /// Approves a pending request. A removal becomes Approved with its purge target fixed now (the
    /// purge runs after); an incorrect-info report is closed with the note, as the operator
    /// corrects the data by hand.
    /// </summary>
    public Task<RemovalDecision> ApproveAsync(string requestId, string? note, CancellationToken cancellationToken = default) =>
        DecideAsync(requestId, async (request, now) =>
        {
            var decided = request with { DecidedAt = now, Note = note };
            if (request.Type == RemovalRequestType.IncorrectInfo)
            {
                var closed = decided with { Status = RemovalStatus.Completed, ClosedAt = now };
                return (closed, "approved", "type=incorrect-info; no automated change",
                    Outbox.Publish(Topics.RemovalConfirmations, RemovalMessages.Completed(closed), $"{request.RequestId}:confirmed", now));
            }
            var target = await TargetAsync(request, cancellationToken);
            var approved = decided with { Status = RemovalStatus.Approved, Purge = new PurgeProgress(PurgeStep.Started, now, null, target) };
            return (approved, "approved", $"type={RemovalNames.Of(request.Type)}; images={target.ImageIds.Count}; identities={target.IdentityHashes.Count}", null);
        }, cancellationToken);

    /// <summary>Rejects a pending request and tells the requester, in one transaction.</summary>
    public Task<RemovalDecision> RejectAsync(string requestId, string? note, CancellationToken cancellationToken = default) =>
        DecideAsync(requestId, (request, now) =>
        {
            var rejected = request with { Status = RemovalStatus.Rejected, DecidedAt = now, ClosedAt = now, Note = note };
            return Task.FromResult((rejected, "rejected", (string?)null,
                (TableWrite?)Outbox.Publish(Topics.RemovalConfirmations, RemovalMessages.Rejected(rejected), $"{request.RequestId}:rejected", now)));
        }, cancellationToken);

    private async Task<RemovalDecision> DecideAsync(
        string requestId,
        Func<RemovalRequest, DateTimeOffset, Task<(RemovalRequest Next, string Event, string? Detail, TableWrite? Notification)>> decide,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = await GetAsync(requestId, cancellationToken);
            if (request is null) return new RemovalDecision(DecisionOutcome.NotFound, null);
            if (request.Status != RemovalStatus.Pending) return new RemovalDecision(DecisionOutcome.NotPending, request);
            var now = time.GetUtcNow();
            var (next, @event, detail, notification) = await decide(request, now);
            var (recorded, audit) = AuditTrail.Append(next, @event, detail, now);
            List<TableWrite> writes = [RemovalItems.Update(recorded), audit];
            if (notification is not null) writes.Add(notification);
            try
            {
                await table.TransactWriteAsync(writes, cancellationToken);
                return new RemovalDecision(DecisionOutcome.Done, recorded with { Version = request.Version + 1 });
            }
            catch (TransactionCanceledException) when (attempt < MaxAttempts)
            {
                // Someone changed the request since it was read: read again; if it was a decision,
                // this one answers NotPending.
            }
        }
    }

    /// <summary>
    /// What the purge will act on, fixed at approval so it can finish after the profile is gone.
    /// The identities come from the profile as it is now AND from what the requester supplied, so
    /// a request whose profile is already gone (or never matched) still denylists them.
    /// </summary>
    private async Task<PurgeTarget> TargetAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var subject = request.Subject ?? new RemovalSubject(null, null, null, []);
        // The profile the operator was shown (matched at submission) when it still exists, else
        // whatever the supplied details match now.
        var shown = request.MatchedArtistId is null ? null : await table.GetAsync(Keys.ArtistProfile(request.MatchedArtistId), cancellationToken);
        var matched = shown is not null ? request.MatchedArtistId : await MatchAsync(subject, cancellationToken) ?? request.MatchedArtistId;
        var profile = shown ?? (matched is null ? null : await table.GetAsync(Keys.ArtistProfile(matched), cancellationToken));
        var artist = profile is null ? null : ArtistItems.ReadArtist(profile);
        var artistId = artist?.ArtistId ?? matched ?? subject.ArtistId ?? ArtistIdFromProfileUrl(subject.ProfileUrl);
        var studioId = artist?.StudioId;

        if (IsImageRemoval(request))
        {
            var images = artistId is null ? [] : await ImagesAsync(artistId, subject.ImageIds, cancellationToken);
            return new PurgeTarget(artistId, studioId, subject.ImageIds, [.. images.SelectMany(i => new[] { i.BlobKey, i.ThumbnailKey })], []);
        }

        var hasher = denylist.Hasher;
        var hashes = new List<string>();
        if (artist is not null) hashes.AddRange(hasher.All(artist));
        foreach (var id in new[] { artistId, request.MatchedArtistId, subject.ArtistId, ArtistIdFromProfileUrl(subject.ProfileUrl) }.OfType<string>())
        {
            hashes.Add(hasher.ArtistId(id));
        }
        if (!string.IsNullOrWhiteSpace(subject.InstagramHandle)) hashes.Add(hasher.Instagram(subject.InstagramHandle));
        return new PurgeTarget(artistId, studioId, [], [], [.. hashes.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Image removals, and copyright claims that name images; every other removal takes the whole profile.</summary>
    public static bool IsImageRemoval(RemovalRequest request) =>
        request.Type == RemovalRequestType.ImageRemoval || (request.Type == RemovalRequestType.Copyright && request.Subject?.ImageIds.Count > 0);

    private async Task<List<PortfolioImage>> ImagesAsync(string artistId, IReadOnlyList<string> imageIds, CancellationToken cancellationToken)
    {
        var images = new List<PortfolioImage>();
        foreach (var imageId in imageIds.Distinct(StringComparer.Ordinal))
        {
            if (await table.GetAsync(Keys.ArtistImage(artistId, imageId), cancellationToken) is { } item) images.Add(ArtistItems.ReadImage(item));
        }
        return images;
    }
}
