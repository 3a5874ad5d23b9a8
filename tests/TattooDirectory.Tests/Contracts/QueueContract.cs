using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Contracts;

/// <summary>
/// What every <see cref="IQueues"/> adapter must do: the SQS semantics the scrape workers rely on
/// (at-least-once delivery, visibility timeouts, receive counts, a DLQ after MaxReceiveCount,
/// redrive, retention, long polls) and durability across a restart. A subclass opens the adapter
/// over empty storage; the clock is fake, so visibility, delays and retention pass by advancing it.
/// This part: sending, receiving, long polls, visibility and deletes.
/// </summary>
public abstract partial class QueueContract<TQueues> : IAsyncLifetime where TQueues : class, IQueues
{
    protected static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    /// <summary>The scrape queue's settings but for a shorter visibility (a property: the other parts' static data use it).</summary>
    protected static QueueSettings Settings => new() { VisibilityTimeout = Visibility, MaxReceiveCount = 3, Retention = TimeSpan.FromDays(14) };

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    protected TQueues Queues { get; private set; } = null!;

    protected IQueue Queue { get; private set; } = null!;

    /// <summary>The queue most tests use; an adapter on shared infrastructure can make it unique per test.</summary>
    protected virtual string QueueName => "scrape-jobs";

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the adapter over this test's storage (empty on the first open, as left on the next).</summary>
    protected abstract ValueTask<TQueues> OpenAsync(TimeProvider timeProvider);

    /// <summary>Closes the adapter, leaving its storage in place.</summary>
    protected abstract ValueTask CloseAsync();

    public async ValueTask InitializeAsync()
    {
        Queues = await OpenAsync(Clock);
        Queue = Queues.Get(QueueName, Settings);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Sent_messages_are_received_once_hidden_with_their_body_and_times()
    {
        var sentAt = Clock.GetUtcNow();
        var result = await Queue.SendBatchAsync([new("artist 1", "a-1"), new("artist 2", "a-2")], Ct);
        Clock.Advance(TimeSpan.FromSeconds(5));

        var received = await ReceiveNowAsync();

        Assert.Equal(["a-1", "a-2"], result.Successful.Select(s => s.Id));
        Assert.Empty(result.Failed);
        Assert.Equal(
            result.Successful.Select(s => s.MessageId).Order(),
            received.Select(m => m.MessageId).Order());
        Assert.Equal(["artist 1", "artist 2"], received.Select(m => m.Body).Order());
        Assert.All(received, m => Assert.Equal((1, sentAt, Clock.GetUtcNow()), (m.ReceiveCount, m.SentAt, m.FirstReceivedAt)));
        Assert.Empty(await ReceiveNowAsync());
    }

    [Fact]
    public async Task Entries_without_an_id_are_named_by_their_index_and_every_message_gets_its_own_id()
    {
        var result = await Queue.SendBatchAsync([new("a"), new("b"), new("c")], Ct);
        var again = await Queue.SendBatchAsync([new("a"), new("b"), new("c")], Ct);

        Assert.Equal(["0", "1", "2"], result.Successful.Select(s => s.Id));
        Assert.Equal(6, result.Successful.Concat(again.Successful).Select(s => s.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task A_receive_returns_at_most_the_requested_number()
    {
        await SendAsync("1", "2", "3", "4", "5");

        var first = await Queue.ReceiveAsync(3, TimeSpan.Zero, cancellationToken: Ct);
        var rest = await Queue.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: Ct);

        Assert.Equal(3, first.Count);
        Assert.Equal(["1", "2", "3", "4", "5"], first.Concat(rest).Select(m => m.Body).Order());
    }

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_a_message_is_sent()
    {
        var poll = Queue.ReceiveAsync(10, TimeSpan.FromSeconds(20), cancellationToken: Ct);
        Assert.False(poll.IsCompleted);

        await SendAsync("wake up");

        // The fake clock never moves, so only the send can end the poll.
        Assert.Equal("wake up", Assert.Single(await Promptly(poll)).Body);
    }

    [Fact]
    public async Task A_long_poll_on_an_empty_queue_ends_empty_when_its_wait_passes_on_the_clock()
    {
        var poll = Queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(poll.IsCompleted);

        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(await Promptly(poll));
    }

    [Fact]
    public async Task A_receive_without_a_wait_returns_at_once_on_an_empty_queue() =>
        Assert.Empty(await Promptly(Queue.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: Ct)));

    [Fact]
    public async Task A_long_poll_returns_a_delayed_message_when_its_delay_ends()
    {
        await Queue.SendBatchAsync([new("later", Delay: TimeSpan.FromSeconds(10))], Ct);
        var poll = Queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(poll.IsCompleted);

        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("later", Assert.Single(await Promptly(poll)).Body);
    }

    [Fact]
    public async Task A_message_arriving_for_two_long_polls_goes_to_one_while_the_other_keeps_waiting()
    {
        var polls = new[]
        {
            Queue.ReceiveAsync(10, TimeSpan.FromSeconds(20), cancellationToken: Ct),
            Queue.ReceiveAsync(10, TimeSpan.FromSeconds(20), cancellationToken: Ct),
        };

        await SendAsync("first");
        var winner = await Promptly(Task.WhenAny(polls));
        var other = polls.Single(p => p != winner);
        Assert.False(other.IsCompleted);
        await SendAsync("second");

        Assert.Equal("first", Assert.Single(await winner).Body);
        Assert.Equal("second", Assert.Single(await Promptly(other)).Body);
    }

    [Fact]
    public async Task Cancelling_a_long_poll_throws()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var poll = Queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Promptly(poll));
    }

    [Fact]
    public async Task A_received_message_is_hidden_until_its_visibility_timeout_passes_then_delivered_again()
    {
        await SendAsync("job");
        var firstReceivedAt = Clock.GetUtcNow();
        var first = Assert.Single(await ReceiveNowAsync());
        Clock.Advance(Visibility - TimeSpan.FromSeconds(1));
        var hidden = await ReceiveNowAsync();

        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await ReceiveNowAsync());

        Assert.Empty(hidden);
        Assert.Equal((first.MessageId, first.Body, 2, firstReceivedAt), (second.MessageId, second.Body, second.ReceiveCount, second.FirstReceivedAt));
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
    }

    [Fact]
    public async Task A_receive_can_set_its_own_visibility_timeout()
    {
        await SendAsync("job");
        await Queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.FromSeconds(5), Ct);

        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(2, Assert.Single(await ReceiveNowAsync()).ReceiveCount);
    }

    [Fact]
    public async Task Extending_the_visibility_keeps_a_message_hidden_past_its_first_timeout()
    {
        await SendAsync("slow job");
        var message = Assert.Single(await ReceiveNowAsync());
        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.FromSeconds(60), Ct));
        Clock.Advance(TimeSpan.FromSeconds(59));
        var stillHidden = await ReceiveNowAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(stillHidden);
        Assert.Equal(message.MessageId, Assert.Single(await ReceiveNowAsync()).MessageId);
    }

    [Fact]
    public async Task Releasing_a_message_makes_it_visible_at_once_and_wakes_a_long_poll()
    {
        await SendAsync("job");
        var message = Assert.Single(await ReceiveNowAsync());
        var poll = Queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: Ct);
        Assert.False(poll.IsCompleted);

        Assert.True(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.Zero, Ct));

        var again = Assert.Single(await Promptly(poll));
        Assert.Equal((message.MessageId, 2), (again.MessageId, again.ReceiveCount));
    }

    [Fact]
    public async Task Changing_the_visibility_of_a_delivery_that_is_no_longer_in_flight_reports_it_lost()
    {
        await SendAsync("job");
        var first = Assert.Single(await ReceiveNowAsync());
        Clock.Advance(Visibility);
        var afterExpiry = await Queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.FromSeconds(10), Ct);
        var second = Assert.Single(await ReceiveNowAsync());

        var staleReceipt = await Queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.FromSeconds(10), Ct);
        var currentReceipt = await Queue.ChangeVisibilityAsync(second.ReceiptHandle, TimeSpan.FromSeconds(10), Ct);
        await Queue.DeleteAsync(second.ReceiptHandle, Ct);
        var deleted = await Queue.ChangeVisibilityAsync(second.ReceiptHandle, TimeSpan.FromSeconds(10), Ct);

        Assert.Equal((false, false, true, false), (afterExpiry, staleReceipt, currentReceipt, deleted));
    }

    [Fact]
    public async Task A_visibility_ending_more_than_12_hours_after_the_receive_is_rejected()
    {
        await SendAsync("job");
        var message = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.FromHours(2), Ct));
        Clock.Advance(TimeSpan.FromHours(1));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.FromHours(11) + TimeSpan.FromSeconds(1), Ct));
        Assert.True(await Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.FromHours(11), Ct));
    }

    [Fact]
    public async Task A_deleted_message_is_never_delivered_again_and_deleting_twice_is_harmless()
    {
        await SendAsync("job");
        var message = Assert.Single(await ReceiveNowAsync());

        await Queue.DeleteAsync(message.ReceiptHandle, Ct);
        await Queue.DeleteAsync(message.ReceiptHandle, Ct);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Empty(await ReceiveNowAsync());
        Assert.Equal(new QueueStats(0, 0, 0, 0, null), await Queue.GetStatsAsync(Ct));
    }

    [Fact]
    public async Task Deleting_with_a_stale_receipt_leaves_the_newer_delivery_alone()
    {
        await SendAsync("job");
        var slowWorker = Assert.Single(await ReceiveNowAsync());
        Clock.Advance(Visibility);
        var newWorker = Assert.Single(await ReceiveNowAsync());

        await Queue.DeleteAsync(slowWorker.ReceiptHandle, Ct);
        var afterStaleDelete = await Queue.GetStatsAsync(Ct);
        await Queue.DeleteAsync(newWorker.ReceiptHandle, Ct);

        Assert.Equal(1, afterStaleDelete.InFlight);
        Assert.True((await Queue.GetStatsAsync(Ct)).IsDrained);
    }

    [Fact]
    public async Task A_receipt_whose_timeout_passed_still_deletes_while_nobody_received_the_message_again()
    {
        await SendAsync("job");
        var message = Assert.Single(await ReceiveNowAsync());
        Clock.Advance(Visibility + TimeSpan.FromSeconds(1));

        await Queue.DeleteAsync(message.ReceiptHandle, Ct);

        Assert.Empty(await ReceiveNowAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-receipt-handle")]
    public async Task A_malformed_receipt_handle_is_rejected(string receiptHandle)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.DeleteAsync(receiptHandle, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.ChangeVisibilityAsync(receiptHandle, TimeSpan.Zero, Ct));
    }

    /// <summary>Sends one batch of <paramref name="bodies"/> and returns their message ids in order.</summary>
    protected async Task<IReadOnlyList<string>> SendAsync(params string[] bodies)
    {
        var result = await Queue.SendBatchAsync([.. bodies.Select(b => new OutgoingMessage(b))], Ct);
        Assert.Empty(result.Failed);
        return [.. result.Successful.Select(s => s.MessageId)];
    }

    /// <summary>Everything visible right now (up to 10), hidden for the queue's visibility timeout.</summary>
    protected Task<IReadOnlyList<QueueMessage>> ReceiveNowAsync() => Queue.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: Ct);

    /// <summary>
    /// Awaits something that should happen promptly, bounded by a generous real-time limit that
    /// only ever ends a broken test (it is not a timing assertion).
    /// </summary>
    protected static Task<T> Promptly<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
}
