using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class ContactRetentionTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private readonly ContactRetention _retention;

    public ContactRetentionTests() => _retention = new ContactRetention(_rig.Store, _rig.Time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private async Task PlantClosedAsync(string requestId, RemovalStatus status)
    {
        var now = _rig.Time.GetUtcNow();
        await PlantAsync(_rig.Store, Request(requestId, status, now.AddDays(-2)) with
        {
            DecidedAt = now,
            ClosedAt = now,
            Purge = status == RemovalStatus.Completed ? new PurgeProgress(PurgeStep.Confirmed, now, now, Target(["hash-id", "hash-handle"])) : null,
        });
    }

    [Fact]
    public async Task Contact_data_is_kept_for_thirty_days_after_closing_and_deleted_the_minute_after()
    {
        await PlantClosedAsync("rq-kept1", RemovalStatus.Completed);

        _rig.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await _retention.RunAsync(Ct));
        Assert.NotNull((await ReadAsync(_rig.Store, "rq-kept1")).Requester);

        _rig.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _retention.RunAsync(Ct));

        var scrubbed = await ReadAsync(_rig.Store, "rq-kept1");
        Assert.Null(scrubbed.Requester);
        Assert.Null(scrubbed.Subject);
        Assert.Null(scrubbed.MatchedArtistId);
        Assert.Equal(_rig.Time.GetUtcNow(), scrubbed.ContactDeletedAt);
        var target = scrubbed.Purge!.Target;
        Assert.Equal((null, null), (target.ArtistId, target.StudioId));
        Assert.Empty(target.ImageIds);
        Assert.Empty(target.BlobKeys);
        Assert.Equal(["hash-id", "hash-handle"], target.IdentityHashes);
        Assert.Equal(["contact-deleted"], (await AuditAsync(_rig.Store, "rq-kept1")).Select(e => e.Event));
    }

    [Fact]
    public async Task The_stored_request_no_longer_holds_any_contact_detail()
    {
        await PlantClosedAsync("rq-raw1", RemovalStatus.Completed);
        _rig.Time.Advance(TimeSpan.FromDays(31));

        await _retention.RunAsync(Ct);

        var raw = (await _rig.Store.GetAsync(Keys.RemovalRequest("rq-raw1"), Ct))!.Data;
        foreach (var personal in new[] { RequesterName, RequesterEmail, "ada.ink", "artist-subject1", "studio-subject1", "img-subject1", "It is me" })
        {
            Assert.DoesNotContain(personal, raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Rejected_requests_are_scrubbed_too_and_open_requests_never()
    {
        await PlantClosedAsync("rq-rejected1", RemovalStatus.Rejected);
        await PlantAsync(_rig.Store, Request("rq-pending1", RemovalStatus.Pending, _rig.Time.GetUtcNow()));
        await PlantAsync(_rig.Store, Request("rq-approved1", RemovalStatus.Approved, _rig.Time.GetUtcNow()) with
        {
            Purge = new PurgeProgress(PurgeStep.Started, _rig.Time.GetUtcNow(), null, Target(["hash"])),
        });
        _rig.Time.Advance(TimeSpan.FromDays(45));

        Assert.Equal(1, await _retention.RunAsync(Ct));

        Assert.Null((await ReadAsync(_rig.Store, "rq-rejected1")).Requester);
        Assert.Equal(RequesterEmail, (await ReadAsync(_rig.Store, "rq-pending1")).Requester?.Email);
        Assert.Equal(RequesterEmail, (await ReadAsync(_rig.Store, "rq-approved1")).Requester?.Email);
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_appends_no_entry()
    {
        await PlantClosedAsync("rq-once1", RemovalStatus.Completed);
        _rig.Time.Advance(TimeSpan.FromDays(31));
        await _retention.RunAsync(Ct);
        var first = await ReadAsync(_rig.Store, "rq-once1");

        _rig.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _retention.RunAsync(Ct));

        var second = await ReadAsync(_rig.Store, "rq-once1");
        Assert.Equal((first.Version, first.AuditLength, first.ContactDeletedAt), (second.Version, second.AuditLength, second.ContactDeletedAt));
    }
}
