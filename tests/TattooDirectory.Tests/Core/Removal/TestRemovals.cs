using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Core.Removal;

/// <summary>
/// Removal requests written straight to the table as the request desk would store them, so the
/// operations tests need nothing but the shared item format.
/// </summary>
internal static class TestRemovals
{
    public const string RequesterName = "Jane Requester";
    public const string RequesterEmail = "jane.requester@example.com";

    public static RemovalRequest Request(string requestId, RemovalStatus status, DateTimeOffset createdAt, RemovalRequestType type = RemovalRequestType.ProfileRemoval) => new()
    {
        RequestId = requestId,
        Type = type,
        Status = status,
        CreatedAt = createdAt,
        Requester = new RequesterContact(RequesterName, RequesterEmail, "It is me, please take my page down."),
        Subject = new RemovalSubject("artist-subject1", "@ada.ink", "https://example.test/artists/artist-subject1", []),
        MatchedArtistId = "artist-subject1",
    };

    public static PurgeTarget Target(IReadOnlyList<string> identityHashes) =>
        new("artist-subject1", "studio-subject1", ["img-subject1"], ["artists/artist-subject1/img-subject1.svg"], identityHashes);

    public static async Task<RemovalRequest> PlantAsync(ITable table, RemovalRequest request) =>
        RemovalItems.Read(await table.PutAsync(RemovalItems.ToItem(request), cancellationToken: TestContext.Current.CancellationToken));

    public static async Task<RemovalRequest> ReadAsync(ITable table, string requestId) =>
        RemovalItems.Read((await table.GetAsync(Keys.RemovalRequest(requestId), TestContext.Current.CancellationToken))!);

    public static async Task<List<OutboxEntry>> OutboxAsync(ITable table) =>
        await table.ScanAsync(Keys.OutboxPrefix, TestContext.Current.CancellationToken).Select(Outbox.Read).ToListAsync(TestContext.Current.CancellationToken);

    public static async Task<IReadOnlyList<AuditEntry>> AuditAsync(ITable table, string requestId)
    {
        var entries = await AuditTrail.ReadAsync(table, requestId, TestContext.Current.CancellationToken);
        Assert.True(AuditTrail.Verify(entries, (await ReadAsync(table, requestId)).AuditHead), "The audit chain no longer verifies.");
        return entries;
    }
}
