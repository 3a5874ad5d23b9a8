using System.Globalization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// Deletes a requester's contact data 30 days after their request closed (product.md §8.6): the
/// requester, what they supplied, the matched profile, and every plaintext id in the purge target.
/// The keyed identity hashes stay, so the denylist and the audit still work afterwards. Each
/// request is scrubbed in one conditional transaction with a <c>contact-deleted</c> audit entry.
/// </summary>
public sealed class ContactRetention(ITable table, TimeProvider time)
{
    public static readonly TimeSpan RetainFor = TimeSpan.FromDays(30);

    public const string AuditEvent = "contact-deleted";

    private static readonly RemovalStatus[] ClosedStatuses = [RemovalStatus.Completed, RemovalStatus.Rejected];

    /// <summary>Scrubs every closed request whose retention has run out; returns how many it scrubbed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var scrubbed = 0;
        foreach (var status in ClosedStatuses)
        {
            await foreach (var request in RemovalOpsUpdates.ByStatusAsync(table, status, cancellationToken))
            {
                if (await RemovalOpsUpdates.ApplyAsync(table, request, r => Scrub(r, now), now, cancellationToken) is not null) scrubbed++;
            }
        }
        return scrubbed;
    }

    private static RequestChange? Scrub(RemovalRequest request, DateTimeOffset now)
    {
        if (!request.IsClosed || request.ContactDeletedAt is not null || request.ClosedAt is not { } closedAt || now - closedAt <= RetainFor) return null;
        var scrubbed = request with
        {
            Requester = null,
            Subject = null,
            MatchedArtistId = null,
            ContactDeletedAt = now,
            Purge = request.Purge is { } purge
                ? purge with { Target = purge.Target with { ArtistId = null, StudioId = null, ImageIds = [], BlobKeys = [] } }
                : null,
        };
        var detail = string.Create(CultureInfo.InvariantCulture, $"closed={closedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; identity-hashes-kept={request.Purge?.Target.IdentityHashes.Count ?? 0}");
        return new RequestChange(scrubbed, AuditEvent, detail, []);
    }
}
