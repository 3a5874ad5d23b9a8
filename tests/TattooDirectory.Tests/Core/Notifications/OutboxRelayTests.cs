using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Notifications;

public sealed class OutboxRelayTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private readonly TempDirectory _topicDirectory = new();
    private readonly SqliteTopic _topic;

    public OutboxRelayTests() => _topic = new SqliteTopic(_topicDirectory.Combine("notifications.db"), _rig.Time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _topic.Dispose();
        _topicDirectory.Dispose();
        _rig.Dispose();
    }

    [Fact]
    public async Task A_committed_change_and_its_notification_reach_the_topic_once_and_leave_the_outbox()
    {
        await _topic.SubscribeAsync(Topics.RemovalRequests, "operator", Ct);
        await CommitChangeWithNotificationAsync("r-1");

        var moved = await Relay().RunOnceAsync(Ct);
        var again = await Relay().RunOnceAsync(Ct);

        Assert.Equal((1, 0), (moved, again));
        Assert.Equal(["New request r-1"], (await MailboxAsync()).Select(m => m.Message.Subject));
        Assert.Single(await _topic.PendingAsync(10, Ct));
        Assert.Empty(await OutboxKeysAsync());
    }

    [Fact]
    public async Task A_relay_that_stopped_between_publishing_and_deleting_does_not_publish_twice()
    {
        await _topic.SubscribeAsync(Topics.RemovalRequests, "operator", Ct);
        await CommitChangeWithNotificationAsync("r-1");
        var crashing = new OutboxRelay(_rig.Store, _rig.Store, new StopsAfterPublishing(_topic), NullLogger<OutboxRelay>.Instance);
        Assert.Equal(0, await crashing.RunOnceAsync(Ct));
        var publishedBeforeTheCrash = (await MailboxAsync()).Count;
        var leftInTheOutbox = (await OutboxKeysAsync()).Count;

        var moved = await Relay().RunOnceAsync(Ct);

        Assert.Equal((1, 1, 1), (publishedBeforeTheCrash, leftInTheOutbox, moved));
        Assert.Single(await MailboxAsync());
        Assert.Single(await _topic.PendingAsync(10, Ct));
        Assert.Empty(await OutboxKeysAsync());
    }

    [Fact]
    public async Task When_the_change_is_rolled_back_its_notification_is_never_published()
    {
        await CommitChangeWithNotificationAsync("r-1");
        await Relay().RunOnceAsync(Ct);

        // The request item exists already, so the whole transaction, outbox write included, fails.
        await Assert.ThrowsAsync<TransactionCanceledException>(() => CommitChangeWithNotificationAsync("r-1", messageId: "r-1/second"));
        var moved = await Relay().RunOnceAsync(Ct);

        Assert.Equal(0, moved);
        Assert.Single(await MailboxAsync());
    }

    [Fact]
    public async Task An_undecodable_item_is_left_in_place_and_does_not_hold_up_the_others()
    {
        await PutRawOutboxItemAsync("a-garbage", "{not json");
        await PutRawOutboxItemAsync("b-unknown-topic", """{"messageId":"b","topic":"no-such-topic","message":{"subject":"s","body":"b"},"createdAt":"2026-11-27T09:00:00Z"}""");
        await PutRawOutboxItemAsync("c-no-body", """{"messageId":"c","topic":"removal-requests","message":{"subject":"s"},"createdAt":"2026-11-27T09:00:00Z"}""");
        await CommitChangeWithNotificationAsync("r-9");
        var relay = new OutboxRelay(_rig.Store, _rig.Store, _topic, NullLogger<OutboxRelay>.Instance) { BatchSize = 1 };

        var moved = await relay.RunOnceAsync(Ct);

        Assert.Equal((1, 3), (moved, relay.Undecodable));
        Assert.Equal(["New request r-9"], (await MailboxAsync()).Select(m => m.Message.Subject));
        Assert.Equal(
            [Keys.OutboxMessage("a-garbage"), Keys.OutboxMessage("b-unknown-topic"), Keys.OutboxMessage("c-no-body")],
            await OutboxKeysAsync());
    }

    [Fact]
    public async Task Entries_are_published_oldest_first_whatever_their_ids()
    {
        await CommitChangeWithNotificationAsync("r-1", messageId: "zzz");
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        await CommitChangeWithNotificationAsync("r-2", messageId: "aaa");

        await Relay().RunOnceAsync(Ct);

        Assert.Equal(["New request r-2", "New request r-1"], (await MailboxAsync()).Select(m => m.Message.Subject));
    }

    [Fact]
    public async Task A_pass_moves_at_most_a_batch_and_the_next_pass_moves_the_rest()
    {
        for (var i = 0; i < 3; i++) await CommitChangeWithNotificationAsync($"r-{i}");
        var relay = new OutboxRelay(_rig.Store, _rig.Store, _topic, NullLogger<OutboxRelay>.Instance) { BatchSize = 2 };

        var passes = new[] { await relay.RunOnceAsync(Ct), await relay.RunOnceAsync(Ct), await relay.RunOnceAsync(Ct) };

        Assert.Equal([2, 1, 0], passes);
        Assert.Equal(3, (await MailboxAsync()).Count);
    }

    [Fact]
    public async Task The_relays_own_deletes_end_its_idle_wait_so_a_busy_outbox_is_drained_without_waiting()
    {
        await CommitChangeWithNotificationAsync("r-1");

        // The clock is fake and never advanced: only a commit can end this wait.
        var moved = await Relay().RunOnceAndWaitAsync(TimeSpan.FromHours(1), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(1, moved);
    }

    private OutboxRelay Relay() => new(_rig.Store, _rig.Store, _topic, NullLogger<OutboxRelay>.Instance);

    private Task<IReadOnlyList<MailboxMessage>> MailboxAsync() => _topic.MailboxAsync(Topics.RemovalRequests, 100, Ct);

    private async Task<List<ItemKey>> OutboxKeysAsync()
    {
        var keys = new List<ItemKey>();
        await foreach (var item in _rig.Store.ScanAsync(Keys.OutboxPrefix, Ct)) keys.Add(item.Key);
        return keys;
    }

    /// <summary>A removal request created together with the notification that announces it.</summary>
    private Task CommitChangeWithNotificationAsync(string requestId, string? messageId = null)
    {
        var key = Keys.RemovalRequest(requestId);
        var request = new Item { Pk = key.Pk, Sk = key.Sk, Data = """{"status":"received"}""" };
        var notification = new Notification($"New request {requestId}", "Details are on the admin page.", new Dictionary<string, string> { ["requestId"] = requestId });
        return _rig.Store.TransactWriteAsync(
            [new TableWrite.Put(request, WriteCondition.NotExists), Outbox.Publish(Topics.RemovalRequests, notification, messageId ?? $"{requestId}/received", _rig.Time.GetUtcNow())],
            Ct);
    }

    private Task PutRawOutboxItemAsync(string messageId, string data)
    {
        var key = Keys.OutboxMessage(messageId);
        return _rig.Store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = data }, cancellationToken: Ct);
    }

    /// <summary>Publishes, then fails as a process killed before its next step would.</summary>
    [Fact]
    public async Task A_message_the_topic_keeps_refusing_does_not_hold_back_the_ones_after_it()
    {
        await _topic.SubscribeAsync(Topics.RemovalRequests, "operator", Ct);
        await CommitChangeWithNotificationAsync("r-stuck");
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        await CommitChangeWithNotificationAsync("r-next");
        var relay = new OutboxRelay(_rig.Store, _rig.Store, new RefusesSubject(_topic, "New request r-stuck"), NullLogger<OutboxRelay>.Instance);

        var moved = await relay.RunOnceAsync(Ct);

        Assert.Equal(1, moved);
        Assert.Equal(["New request r-next"], (await MailboxAsync()).Select(m => m.Message.Subject));
        Assert.Single(await OutboxKeysAsync());
    }

    private sealed class RefusesSubject(ITopic inner, string subject) : ITopic
    {
        public Task<string> PublishAsync(string topic, Notification message, CancellationToken ct = default) =>
            PublishAsync(topic, message, deduplicationId: null, ct);

        public Task<string> PublishAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct = default) =>
            message.Subject == subject ? throw new InvalidOperationException("refused") : inner.PublishAsync(topic, message, deduplicationId, ct);
    }

    private sealed class StopsAfterPublishing(ITopic inner) : ITopic
    {
        public Task<string> PublishAsync(string topic, Notification message, CancellationToken ct = default) =>
            PublishAsync(topic, message, deduplicationId: null, ct);

        public async Task<string> PublishAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct = default)
        {
            await inner.PublishAsync(topic, message, deduplicationId, ct);
            throw new IOException("The process stopped here.");
        }
    }
}
