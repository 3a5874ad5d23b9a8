using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Tests.Contracts;

/// <summary>A delivery a subscriber is owed, as the contract sees it.</summary>
public sealed record DueDelivery(string Id, string Topic, Notification Message, string Subscriber, int Attempts);

/// <summary>
/// What every <see cref="ITopic"/> adapter must do (the SNS semantics the app relies on): durable
/// publish, fan-out to the subscriptions of the moment, at-least-once delivery with retries and a
/// dead letter after the last try. The delivery side differs per backend (an outbox dispatcher
/// locally, SQS subscriptions with a redrive policy on AWS), so the suite reaches it through hooks.
/// </summary>
public abstract class TopicContract<TTopic> : IAsyncLifetime where TTopic : class, ITopic
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    protected TTopic Topic { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Failed tries after which the adapter dead-letters a delivery.</summary>
    protected abstract int MaxAttempts { get; }

    /// <summary>Opens the adapter over empty storage.</summary>
    protected abstract ValueTask<TTopic> OpenAsync(TimeProvider timeProvider);

    /// <summary>Closes the adapter and opens it again over the same storage, as a restart would.</summary>
    protected abstract ValueTask<TTopic> ReopenAsync(TimeProvider timeProvider);

    /// <summary>Closes the adapter and deletes its storage.</summary>
    protected abstract ValueTask CloseAsync();

    protected abstract Task SubscribeAsync(string topic, string subscriber);

    /// <summary>Deliveries due now, in publish order.</summary>
    protected abstract Task<IReadOnlyList<DueDelivery>> DueAsync();

    protected abstract Task MarkDeliveredAsync(string id, string subscriber);

    protected abstract Task RecordFailureAsync(string id, string subscriber, string error, DateTimeOffset retryAt);

    /// <summary>The (message id, subscriber) pairs that were dead-lettered.</summary>
    protected abstract Task<IReadOnlyList<(string Id, string Subscriber)>> DeadLettersAsync();

    public async ValueTask InitializeAsync() => Topic = await OpenAsync(Clock);

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_published_message_is_still_owed_after_a_restart()
    {
        await SubscribeAsync(Topics.RemovalRequests, "operator");
        var attributes = new Dictionary<string, string> { ["requestId"] = "r-1", ["kind"] = "profile" };
        var id = await Topic.PublishAsync(Topics.RemovalRequests, new Notification("New request", "Please review r-1", attributes), Ct);

        Topic = await ReopenAsync(Clock);

        var due = Assert.Single(await DueAsync());
        Assert.Equal((id, Topics.RemovalRequests, "operator", 0), (due.Id, due.Topic, due.Subscriber, due.Attempts));
        Assert.Equal(("New request", "Please review r-1"), (due.Message.Subject, due.Message.Body));
        Assert.Equal(attributes.OrderBy(a => a.Key), due.Message.Attributes!.OrderBy(a => a.Key));
    }

    [Fact]
    public async Task Due_deliveries_come_in_publish_order()
    {
        await SubscribeAsync(Topics.CriticalAlerts, "pager");
        await SubscribeAsync(Topics.WarningAlerts, "pager");
        var ids = new List<string>();
        foreach (var (topic, n) in new[] { (Topics.WarningAlerts, 1), (Topics.CriticalAlerts, 2), (Topics.WarningAlerts, 3), (Topics.CriticalAlerts, 4) })
        {
            ids.Add(await Topic.PublishAsync(topic, new Notification($"alert {n}", "body"), Ct));
            Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(ids, (await DueAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task A_delivered_message_is_no_longer_due_for_that_subscriber_only()
    {
        await SubscribeAsync(Topics.RemovalConfirmations, "mailbox");
        await SubscribeAsync(Topics.RemovalConfirmations, "email");
        var id = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Removed", "Your profile is gone"), Ct);

        await MarkDeliveredAsync(id, "email");

        Assert.Equal([(id, "mailbox")], (await DueAsync()).Select(d => (d.Id, d.Subscriber)));
    }

    [Fact]
    public async Task Marking_a_delivery_again_changes_nothing()
    {
        await SubscribeAsync(Topics.AggregationReports, "log");
        var id = await Topic.PublishAsync(Topics.AggregationReports, new Notification("Run 7", "12 new artists"), Ct);

        await MarkDeliveredAsync(id, "log");
        await MarkDeliveredAsync(id, "log");
        await RecordFailureAsync(id, "log", "late timeout from a duplicate try", Clock.GetUtcNow());

        Assert.Empty(await DueAsync());
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task A_failed_delivery_is_due_again_at_its_retry_time_and_not_before()
    {
        await SubscribeAsync(Topics.CriticalAlerts, "webhook");
        var id = await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("Purge stalled", "r-9"), Ct);

        await RecordFailureAsync(id, "webhook", "HTTP 503", Clock.GetUtcNow().AddSeconds(30));
        Clock.Advance(TimeSpan.FromSeconds(29));
        var early = await DueAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var onTime = await DueAsync();

        Assert.Empty(early);
        Assert.Equal([(id, "webhook", 1)], onTime.Select(d => (d.Id, d.Subscriber, d.Attempts)));
    }

    [Fact]
    public async Task A_delivery_is_dead_lettered_after_its_last_failed_try()
    {
        await SubscribeAsync(Topics.WarningAlerts, "webhook");
        await SubscribeAsync(Topics.WarningAlerts, "log");
        var id = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("SLA", "r-3 waits 3 days"), Ct);

        for (var attempt = 1; attempt < MaxAttempts; attempt++)
        {
            await RecordFailureAsync(id, "webhook", $"HTTP 500 #{attempt}", Clock.GetUtcNow());
        }

        var beforeLastTry = await DeadLettersAsync();
        await RecordFailureAsync(id, "webhook", "HTTP 500 last", Clock.GetUtcNow());

        Assert.Empty(beforeLastTry);
        Assert.Equal([(id, "webhook")], await DeadLettersAsync());
        Assert.Equal([(id, "log")], (await DueAsync()).Select(d => (d.Id, d.Subscriber)));
    }

    [Fact]
    public async Task A_subscriber_added_after_a_publish_is_not_owed_that_message()
    {
        await Topic.PublishAsync(Topics.RemovalRequests, new Notification("Before", "b"), Ct);
        await SubscribeAsync(Topics.RemovalRequests, "operator");
        var after = await Topic.PublishAsync(Topics.RemovalRequests, new Notification("After", "a"), Ct);

        Assert.Equal([after], (await DueAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task A_replayed_publish_with_the_same_deduplication_id_publishes_nothing_even_after_a_restart()
    {
        await SubscribeAsync(Topics.RemovalConfirmations, "mailbox");
        var first = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Removed", "r-1"), "r-1/confirm", Ct);

        Topic = await ReopenAsync(Clock);
        var replay = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Removed", "r-1"), "r-1/confirm", Ct);
        var other = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Removed", "r-2"), "r-2/confirm", Ct);

        Assert.Equal(first, replay);
        Assert.Equal([first, other], (await DueAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task The_same_deduplication_id_on_another_topic_is_a_new_message()
    {
        await SubscribeAsync(Topics.RemovalRequests, "operator");
        await SubscribeAsync(Topics.CriticalAlerts, "operator");
        var removal = await Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), "r-1", Ct);
        var alert = await Topic.PublishAsync(Topics.CriticalAlerts, new Notification("s", "b"), "r-1", Ct);

        Assert.NotEqual(removal, alert);
        Assert.Equal([(removal, Topics.RemovalRequests), (alert, Topics.CriticalAlerts)], (await DueAsync()).Select(d => (d.Id, d.Topic)));
    }

    [Fact]
    public async Task Publishes_without_a_deduplication_id_are_never_merged()
    {
        await SubscribeAsync(Topics.WarningAlerts, "log");
        var first = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("same", "same"), deduplicationId: null, Ct);
        var second = await Topic.PublishAsync(Topics.WarningAlerts, new Notification("same", "same"), deduplicationId: null, Ct);

        Assert.Equal([first, second], (await DueAsync()).Select(d => d.Id));
    }

    [Theory]
    [InlineData("removal-request")]
    [InlineData("REMOVAL-REQUESTS")]
    [InlineData("")]
    public async Task Publishing_to_an_unknown_topic_is_rejected(string topic) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Topic.PublishAsync(topic, new Notification("s", "b"), Ct));

    [Fact]
    public async Task Message_ids_are_unique_across_topics_and_instants()
    {
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await Topic.PublishAsync(Topics.All[i % Topics.All.Count], new Notification($"n{i}", "b"), Ct));
            if (i % 20 == 0)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
