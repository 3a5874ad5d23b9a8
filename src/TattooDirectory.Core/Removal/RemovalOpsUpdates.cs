using System.Runtime.CompilerServices;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// A change the operations jobs make to one request: the request as it should become, the audit
/// entry that records it, and any other writes (an outbox notification) that belong to it.
/// </summary>
internal sealed record RequestChange(RemovalRequest Updated, string AuditEvent, string? AuditDetail, IReadOnlyList<TableWrite> AlsoWrite);

/// <summary>Reading requests by status and committing a change with its audit entry, shared by the SLA check and retention.</summary>
internal static class RemovalOpsUpdates
{
    // The purge advances a request about once per step, so a handful of re-reads always gets through.
    private const int MaxAttempts = 5;
    private const int PageSize = 100;

    /// <summary>Every request with the status, oldest first (GSI4), read a page at a time.</summary>
    public static async IAsyncEnumerable<RemovalRequest> ByStatusAsync(ITable table, RemovalStatus status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keys owns the index key format; only its partition part matters here.
        var partition = Keys.RemovalsByStatus(RemovalNames.Of(status), DateTimeOffset.UnixEpoch, "").Pk;
        string? cursor = null;
        do
        {
            var query = new TableQuery(partition) { Index = TableIndex.Gsi4, Cursor = cursor, Limit = PageSize };
            var page = await table.QueryAsync(query, cancellationToken);
            foreach (var item in page.Items) yield return RemovalItems.Read(item);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>
    /// Commits what <paramref name="decide"/> returns for the request, with its audit entry, in one
    /// transaction conditional on the version the request was read at. When someone else wrote the
    /// request first (the purge advancing a step), it re-reads and decides again on the fresh copy.
    /// Returns the change committed, or null when there was nothing to do.
    /// </summary>
    public static async Task<RequestChange?> ApplyAsync(ITable table, RemovalRequest request, Func<RemovalRequest, RequestChange?> decide, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (decide(request) is not { } change) return null;
            var (updated, audit) = AuditTrail.Append(change.Updated, change.AuditEvent, change.AuditDetail, now);
            try
            {
                await table.TransactWriteAsync([RemovalItems.Update(updated), audit, .. change.AlsoWrite], cancellationToken);
                return change;
            }
            catch (TransactionCanceledException) when (attempt < MaxAttempts)
            {
                if (await table.GetAsync(Keys.RemovalRequest(request.RequestId), cancellationToken) is not { } item) return null;
                request = RemovalItems.Read(item);
            }
        }
    }
}
