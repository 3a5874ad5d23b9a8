using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Tests.Contracts;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local;

public sealed class SqliteTopicTests : TopicContract<SqliteTopic>
{
    private readonly TempDirectory _directory = new();
    private SqliteTopic? _topic;

    protected override int MaxAttempts => SqliteTopic.DefaultMaxAttempts;

    private string DatabasePath => _directory.Combine("notifications.db");

    protected override ValueTask<SqliteTopic> OpenAsync(TimeProvider timeProvider) => ValueTask.FromResult(_topic = new SqliteTopic(DatabasePath, timeProvider));

    protected override async ValueTask<SqliteTopic> ReopenAsync(TimeProvider timeProvider)
    {
        await CloseAsync();
        return await OpenAsync(timeProvider);
    }

    protected override ValueTask CloseAsync()
    {
        _topic?.Dispose();
        _topic = null;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override Task SubscribeAsync(string topic, string subscriber) => Topic.SubscribeAsync(topic, subscriber, Ct);

    protected override async Task<IReadOnlyList<DueDelivery>> DueAsync() =>
        [.. (await Topic.PendingAsync(1000, Ct)).Select(m => new DueDelivery(m.Id, m.Topic, m.Message, m.Subscriber, m.Attempts))];

    protected override Task MarkDeliveredAsync(string id, string subscriber) => Topic.MarkDeliveredAsync(id, subscriber, Ct);

    protected override Task RecordFailureAsync(string id, string subscriber, string error, DateTimeOffset retryAt) =>
        Topic.RecordFailureAsync(id, subscriber, error, retryAt, Ct);

    protected override async Task<IReadOnlyList<(string Id, string Subscriber)>> DeadLettersAsync() =>
        [.. (await Topic.DeadLettersAsync(1000, Ct)).Select(l => (l.Id, l.Subscriber))];

    [Fact]
    public async Task The_mailbox_shows_a_topics_messages_newest_first()
    {
        var first = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("one", "1"), Ct);
        await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("other topic", "x"), Ct);
        var second = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("two", "2"), Ct);

        var mailbox = await Topic.MailboxAsync(Topics.RemovalConfirmations, 10, Ct);

        Assert.Equal([(second, "two"), (first, "one")], mailbox.Select(m => (m.Id, m.Message.Subject)));
    }

    [Fact]
    public async Task Pending_returns_at_most_the_requested_number()
    {
        await Topic.SubscribeAsync(Topics.AggregationReports, "log", Ct);
        for (var i = 0; i < 5; i++)
        {
            await Topic.PublishAsync(Topics.AggregationReports, new Notification($"r{i}", "b"), Ct);
        }

        Assert.Equal(3, (await Topic.PendingAsync(3, Ct)).Count);
    }

    [Fact]
    public async Task A_dead_letter_keeps_the_last_error_and_attempt_count()
    {
        await Topic.SubscribeAsync(Topics.CriticalAlerts, "webhook", Ct);
        var id = await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("s", "b"), Ct);
        for (var attempt = 1; attempt <= SqliteTopic.DefaultMaxAttempts; attempt++)
        {
            await Topic.RecordFailureAsync(id, "webhook", $"HTTP 500 #{attempt}", Clock.GetUtcNow(), Ct);
        }

        var letter = Assert.Single(await Topic.DeadLettersAsync(10, Ct));

        Assert.Equal((id, Topics.CriticalAlerts, SqliteTopic.DefaultMaxAttempts, $"HTTP 500 #{SqliteTopic.DefaultMaxAttempts}"), (letter.Id, letter.Topic, letter.Attempts, letter.LastError));
    }

    [Fact]
    public async Task Marking_a_delivery_the_subscriber_was_never_owed_is_rejected()
    {
        var id = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("s", "b"), Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => Topic.MarkDeliveredAsync(id, "nobody", Ct));
    }

    [Fact]
    public async Task An_unsubscribed_endpoint_is_owed_nothing_more()
    {
        await Topic.SubscribeAsync(Topics.WarningAlerts, "old-webhook", Ct);
        await Topic.SubscribeAsync(Topics.WarningAlerts, "log", Ct);
        var owed = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("s", "b"), Ct);

        await Topic.UnsubscribeAsync(Topics.WarningAlerts, "old-webhook", Ct);
        var later = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("s2", "b"), Ct);

        Assert.Equal([(owed, "log"), (later, "log")], (await Topic.PendingAsync(10, Ct)).Select(m => (m.Id, m.Subscriber)));
    }

    [Fact]
    public async Task Pruning_removes_old_finished_messages_and_keeps_those_still_owed_or_recent()
    {
        await Topic.SubscribeAsync(Topics.RemovalConfirmations, "email", Ct);
        var finished = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("done", "b"), "r-1", Ct);
        var owed = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("owed", "b"), Ct);
        await Topic.MarkDeliveredAsync(finished, "email", Ct);
        Clock.Advance(TimeSpan.FromDays(31));
        var recent = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("recent", "b"), Ct);
        await Topic.MarkDeliveredAsync(recent, "email", Ct);

        var pruned = await Topic.PruneAsync(Clock.GetUtcNow().AddDays(-30), Ct);

        Assert.Equal(1, pruned);
        Assert.Equal([recent, owed], (await Topic.MailboxAsync(Topics.RemovalConfirmations, 10, Ct)).Select(m => m.Id));
        Assert.NotEqual(finished, await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("done", "b"), "r-1", Ct));
    }

    [Fact]
    public async Task Subscriptions_lists_every_topic_and_subscriber_pair()
    {
        await Topic.SubscribeAsync(Topics.WarningAlerts, "log", Ct);
        await Topic.SubscribeAsync(Topics.CriticalAlerts, "pager", Ct);
        await Topic.SubscribeAsync(Topics.CriticalAlerts, "log", Ct);
        await Topic.UnsubscribeAsync(Topics.WarningAlerts, "log", Ct);

        Assert.Equal(
            [new TopicSubscription(Topics.CriticalAlerts, "log"), new TopicSubscription(Topics.CriticalAlerts, "pager")],
            await Topic.SubscriptionsAsync(Ct));
    }

    [Fact]
    public async Task A_publish_wakes_a_dispatcher_waiting_for_one()
    {
        var waiting = Topic.WaitForPublishAsync(Topic.PublishMark, TimeSpan.FromHours(1), Ct);
        var stillWaiting = !waiting.IsCompleted;

        await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("s", "b"), Ct);

        Assert.True(stillWaiting);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task A_publish_after_the_mark_was_taken_is_not_slept_through()
    {
        var mark = Topic.PublishMark;
        await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("s", "b"), Ct);

        Assert.True(Topic.WaitForPublishAsync(mark, TimeSpan.FromHours(1), Ct).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_deduplicated_replay_does_not_ring_the_doorbell()
    {
        await Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), "r-1", Ct);
        var mark = Topic.PublishMark;

        await Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), "r-1", Ct);

        Assert.Equal(mark, Topic.PublishMark);
    }

    [Fact]
    public async Task A_wait_without_a_publish_ends_when_its_timeout_passes()
    {
        var waiting = Topic.WaitForPublishAsync(Topic.PublishMark, TimeSpan.FromSeconds(5), Ct);

        Clock.Advance(TimeSpan.FromSeconds(5));

        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
