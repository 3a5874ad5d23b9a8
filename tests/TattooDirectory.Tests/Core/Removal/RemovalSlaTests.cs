using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class RemovalSlaTests : IDisposable
{
    // The rig's clock starts on Friday 27 November 2026 at 09:00 UK time.
    private readonly LocalBackendRig _rig = new();
    private readonly RemovalSla _sla;

    public RemovalSlaTests() => _sla = new RemovalSla(_rig.Store, _rig.Time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_Friday_request_raises_one_warning_once_it_has_waited_over_three_business_days()
    {
        await PlantAsync(_rig.Store, Request("rq-friday1", RemovalStatus.Pending, _rig.Time.GetUtcNow()));

        // Wednesday 08:59: almost five calendar days, but the weekend does not count.
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 8, 59, 0, TimeSpan.Zero));
        Assert.Equal(new SlaCheckResult(0, 0, 0), await _sla.CheckAsync(Ct));
        Assert.Empty(await OutboxAsync(_rig.Store));

        _rig.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new SlaCheckResult(1, 0, 0), await _sla.CheckAsync(Ct));
        _rig.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(new SlaCheckResult(0, 0, 0), await _sla.CheckAsync(Ct));

        var message = Assert.Single(await OutboxAsync(_rig.Store));
        Assert.Equal(("rq-friday1:sla-warning", Topics.WarningAlerts), (message.MessageId, message.Topic));
        Assert.Equal(1, (await ReadAsync(_rig.Store, "rq-friday1")).SlaAlertLevel);
        Assert.Equal(["sla-warning"], (await AuditAsync(_rig.Store, "rq-friday1")).Select(e => e.Event));
    }

    [Fact]
    public async Task A_critical_alarm_follows_once_the_request_has_waited_over_five_business_days()
    {
        await PlantAsync(_rig.Store, Request("rq-crit1", RemovalStatus.Pending, _rig.Time.GetUtcNow()));
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await _sla.CheckAsync(Ct);

        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 8, 59, 0, TimeSpan.Zero));
        Assert.Equal(new SlaCheckResult(0, 0, 0), await _sla.CheckAsync(Ct));
        _rig.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new SlaCheckResult(0, 1, 0), await _sla.CheckAsync(Ct));
        _rig.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(new SlaCheckResult(0, 0, 0), await _sla.CheckAsync(Ct));

        var messages = (await OutboxAsync(_rig.Store)).OrderBy(m => m.CreatedAt).Select(m => (m.MessageId, m.Topic));
        Assert.Equal([("rq-crit1:sla-warning", Topics.WarningAlerts), ("rq-crit1:sla-critical", Topics.CriticalAlerts)], messages);
        Assert.Equal(2, (await ReadAsync(_rig.Store, "rq-crit1")).SlaAlertLevel);
        Assert.Equal(["sla-warning", "sla-critical"], (await AuditAsync(_rig.Store, "rq-crit1")).Select(e => e.Event));
    }

    [Fact]
    public async Task A_request_first_checked_past_five_business_days_gets_only_the_critical_alarm()
    {
        await PlantAsync(_rig.Store, Request("rq-late1", RemovalStatus.Pending, _rig.Time.GetUtcNow()));
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 9, 0, 0, TimeSpan.Zero));

        Assert.Equal(new SlaCheckResult(0, 1, 0), await _sla.CheckAsync(Ct));
        Assert.Equal(["rq-late1:sla-critical"], (await OutboxAsync(_rig.Store)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Christmas_bank_holidays_do_not_count_as_business_days()
    {
        var received = new DateTimeOffset(2026, 12, 23, 9, 0, 0, TimeSpan.Zero);
        _rig.Time.SetUtcNow(received);
        await PlantAsync(_rig.Store, Request("rq-xmas1", RemovalStatus.Pending, received));

        // 24th, 29th and most of the 30th: the 25th and 28th are bank holidays.
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 30, 8, 59, 0, TimeSpan.Zero));
        Assert.Equal(0, (await _sla.CheckAsync(Ct)).Total);
        _rig.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await _sla.CheckAsync(Ct)).Warnings);
    }

    [Fact]
    public async Task Closed_requests_and_running_purges_raise_no_waiting_alarm()
    {
        var longAgo = _rig.Time.GetUtcNow();
        await PlantAsync(_rig.Store, Request("rq-done1", RemovalStatus.Completed, longAgo) with { ClosedAt = longAgo });
        await PlantAsync(_rig.Store, Request("rq-rejected1", RemovalStatus.Rejected, longAgo) with { ClosedAt = longAgo });
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero));
        await PlantApprovedAsync("rq-approved1", PurgeStep.Started, receivedAt: longAgo);

        Assert.Equal(new SlaCheckResult(0, 0, 0), await _sla.CheckAsync(Ct));
        Assert.Empty(await OutboxAsync(_rig.Store));
    }

    [Fact]
    public async Task A_purge_unfinished_a_minute_after_it_started_raises_one_critical_alarm()
    {
        await PlantApprovedAsync("rq-slow1", PurgeStep.BlobsDeleted);

        _rig.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, (await _sla.CheckAsync(Ct)).OverduePurges);
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await _sla.CheckAsync(Ct)).OverduePurges);
        _rig.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, (await _sla.CheckAsync(Ct)).OverduePurges);

        var message = Assert.Single(await OutboxAsync(_rig.Store));
        Assert.Equal(("rq-slow1:purge-overdue", Topics.CriticalAlerts), (message.MessageId, message.Topic));
        Assert.Contains("BlobsDeleted", message.Message.Body, StringComparison.Ordinal);
        Assert.True((await ReadAsync(_rig.Store, "rq-slow1")).PurgeOverdueAlerted);
    }

    [Fact]
    public async Task A_finished_purge_raises_no_overdue_alarm()
    {
        await PlantApprovedAsync("rq-fast1", PurgeStep.Confirmed, finishedAfter: TimeSpan.FromSeconds(2));
        _rig.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, (await _sla.CheckAsync(Ct)).Total);
    }

    [Fact]
    public async Task The_alarm_is_raised_once_and_the_purge_step_kept_when_the_purge_writes_the_request_at_the_same_moment()
    {
        await PlantApprovedAsync("rq-race1", PurgeStep.Denylisted);
        _rig.Time.Advance(TimeSpan.FromMinutes(2));
        var racing = new PurgeAdvancesFirst(_rig.Store, "rq-race1");

        var result = await new RemovalSla(racing, _rig.Time).CheckAsync(Ct);

        Assert.Equal(1, racing.Advanced);
        Assert.Equal(1, result.OverduePurges);
        var request = await ReadAsync(_rig.Store, "rq-race1");
        Assert.Equal(PurgeStep.StoreCleared, request.Purge!.Step);
        Assert.True(request.PurgeOverdueAlerted);
        Assert.Single(await OutboxAsync(_rig.Store));
        Assert.Equal(["purge-overdue"], (await AuditAsync(_rig.Store, "rq-race1")).Select(e => e.Event));
    }

    [Fact]
    public async Task Alarms_carry_the_request_id_type_and_days_but_no_personal_data()
    {
        await PlantAsync(_rig.Store, Request("rq-private1", RemovalStatus.Pending, _rig.Time.GetUtcNow()));
        _rig.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 9, 0, 0, TimeSpan.Zero));
        await _sla.CheckAsync(Ct);

        var message = Assert.Single(await OutboxAsync(_rig.Store)).Message;
        Assert.Contains("rq-private1", message.Subject, StringComparison.Ordinal);
        Assert.Contains("profile-removal", message.Body, StringComparison.Ordinal);
        Assert.Contains("8.0 business days", message.Body, StringComparison.Ordinal);
        var text = message.Subject + message.Body + string.Join(' ', message.Attributes!.Values);
        foreach (var personal in new[] { RequesterName, RequesterEmail, "ada.ink", "artist-subject1", "It is me" })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>An approved request whose purge started now and reached <paramref name="step"/>.</summary>
    private async Task PlantApprovedAsync(string requestId, PurgeStep step, TimeSpan? finishedAfter = null, DateTimeOffset? receivedAt = null)
    {
        var started = _rig.Time.GetUtcNow();
        await PlantAsync(_rig.Store, Request(requestId, RemovalStatus.Approved, receivedAt ?? started) with
        {
            Purge = new PurgeProgress(step, started, started + finishedAfter, Target(["hash"])),
        });
    }

    /// <summary>The purge committing its next step just before the SLA check's first write to the same request.</summary>
    private sealed class PurgeAdvancesFirst(ITable inner, string requestId) : ITable
    {
        public int Advanced { get; private set; }

        public async Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Advanced == 0)
            {
                Advanced++;
                var current = RemovalItems.Read((await inner.GetAsync(Keys.RemovalRequest(requestId), cancellationToken))!);
                await inner.TransactWriteAsync([RemovalItems.Update(current with { Purge = current.Purge! with { Step = PurgeStep.StoreCleared } })], cancellationToken);
            }
            await inner.TransactWriteAsync(writes, cancellationToken);
        }

        public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
        public Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
        public Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.PutAsync(item, condition, cancellationToken);
        public Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, condition, cancellationToken);
        public Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.BatchWriteAsync(writes, cancellationToken);
        public IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, CancellationToken cancellationToken = default) => inner.ScanAsync(partitionKeyPrefix, cancellationToken);
    }
}
