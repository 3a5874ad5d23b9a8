using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Contracts;

/// <summary>This part: the DLQ, redrive, retention, the counts and purging.</summary>
public abstract partial class QueueContract<TQueues>
{
    [Fact]
    public async Task A_message_gets_MaxReceiveCount_deliveries_then_moves_to_the_DLQ_on_the_next_receive()
    {
        var id = Assert.Single(await SendAsync("always fails"));
        var deliveries = new List<int>();
        for (var attempt = 0; attempt < Settings.MaxReceiveCount; attempt++)
        {
            deliveries.Add(Assert.Single(await ReceiveNowAsync()).ReceiveCount);
            Clock.Advance(Visibility);
        }

        var beforeNextReceive = await Queue.GetStatsAsync(Ct);
        var nextReceive = await ReceiveNowAsync();

        Assert.Equal([1, 2, 3], deliveries);
        Assert.Equal((1, 0), (beforeNextReceive.Visible, beforeNextReceive.DeadLetters));
        Assert.Empty(nextReceive);
        Assert.Equal(new QueueStats(0, 0, 0, 1, null), await Queue.GetStatsAsync(Ct));
        var letter = Assert.Single(await Queue.PeekDeadLettersAsync(10, Ct));
        Assert.Equal((id, "always fails", 3), (letter.MessageId, letter.Body, letter.ReceiveCount));
    }

    [Fact]
    public async Task A_receive_returns_a_message_once_even_with_visibility_zero_and_a_dead_letter_on_the_way()
    {
        await SendAsync("poison");
        for (var attempt = 0; attempt < Settings.MaxReceiveCount; attempt++)
        {
            Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.Zero, Ct));
        }

        await SendAsync("fine");

        // Two wanted, the poison one dead-lettered: the receive looks again for a second message,
        // and must not take the one it just released (visibility 0) a second time.
        var received = await Queue.ReceiveAsync(2, TimeSpan.Zero, TimeSpan.Zero, Ct);

        Assert.Equal("fine", Assert.Single(received).Body);
        Assert.Equal(1, (await Queue.GetStatsAsync(Ct)).DeadLetters);
    }

    [Fact]
    public async Task Peeking_the_DLQ_leaves_its_messages_there()
    {
        await DeadLetterAsync("a");
        await DeadLetterAsync("b");

        var firstLook = await Queue.PeekDeadLettersAsync(10, Ct);
        var secondLook = await Queue.PeekDeadLettersAsync(1, Ct);

        Assert.Equal(["a", "b"], firstLook.Select(l => l.Body).Order());
        Assert.Single(secondLook);
        Assert.Equal(2, (await Queue.GetStatsAsync(Ct)).DeadLetters);
    }

    [Fact]
    public async Task A_redrive_returns_dead_letters_as_new_messages_with_fresh_receive_counts()
    {
        var deadIds = new[] { await DeadLetterAsync("a"), await DeadLetterAsync("b") };
        Clock.Advance(TimeSpan.FromHours(1));

        var moved = await Queue.RedriveAsync(Ct);
        var received = await ReceiveNowAsync();

        Assert.Equal(2, moved);
        Assert.Empty(await Queue.PeekDeadLettersAsync(10, Ct));
        Assert.Equal(["a", "b"], received.Select(m => m.Body).Order());
        Assert.All(received, m => Assert.Equal((1, Clock.GetUtcNow()), (m.ReceiveCount, m.SentAt)));
        Assert.Empty(received.Select(m => m.MessageId).Intersect(deadIds));
    }

    [Fact]
    public async Task A_redrive_of_an_empty_DLQ_moves_nothing()
    {
        await SendAsync("alive");

        Assert.Equal(0, await Queue.RedriveAsync(Ct));
        Assert.Equal(1, (await Queue.GetStatsAsync(Ct)).Visible);
    }

    [Fact]
    public async Task Messages_are_dropped_when_they_reach_the_retention_period_from_the_queue_and_the_DLQ()
    {
        var start = Clock.GetUtcNow();
        await DeadLetterAsync("dead, sent at the start");
        var waitingSince = Clock.GetUtcNow();
        await SendAsync("waiting");
        Clock.Advance(TimeSpan.FromDays(1));
        await SendAsync("sent a day later");

        Clock.SetUtcNow(start + Settings.Retention - TimeSpan.FromSeconds(1));
        var beforeAnyExpires = await Queue.GetStatsAsync(Ct);
        Clock.SetUtcNow(start + Settings.Retention);
        var deadExpired = await Queue.GetStatsAsync(Ct);
        var deadLetters = await Queue.PeekDeadLettersAsync(10, Ct);
        Clock.SetUtcNow(waitingSince + Settings.Retention);
        var waitingExpired = await Queue.GetStatsAsync(Ct);

        Assert.Equal((2, 1), (beforeAnyExpires.Visible, beforeAnyExpires.DeadLetters));
        Assert.Equal((2, 0), (deadExpired.Visible, deadExpired.DeadLetters));
        Assert.Empty(deadLetters);
        Assert.Equal((1, 0), (waitingExpired.Visible, waitingExpired.DeadLetters));
        Assert.Equal("sent a day later", Assert.Single(await ReceiveNowAsync()).Body);
    }

    [Fact]
    public async Task Stats_count_each_state_and_the_age_of_the_oldest_message_not_dead()
    {
        var empty = await Queue.GetStatsAsync(Ct);
        await DeadLetterAsync("dead");
        await SendAsync("oldest");
        Clock.Advance(TimeSpan.FromSeconds(4));
        await Queue.SendBatchAsync([new("one"), new("two"), new("later", Delay: TimeSpan.FromSeconds(60))], Ct);
        await Queue.ReceiveAsync(1, TimeSpan.Zero, cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromSeconds(6));

        var stats = await Queue.GetStatsAsync(Ct);

        Assert.Equal(new QueueStats(0, 0, 0, 0, null), empty);
        Assert.True(empty.IsDrained);
        Assert.Equal(new QueueStats(Visible: 2, InFlight: 1, Delayed: 1, DeadLetters: 1, OldestMessageAge: TimeSpan.FromSeconds(10)), stats);
        Assert.False(stats.IsDrained);
    }

    [Fact]
    public async Task Purging_empties_the_queue_and_its_DLQ()
    {
        await DeadLetterAsync("dead");
        await SendAsync("visible", "in flight");
        await Queue.ReceiveAsync(1, TimeSpan.Zero, cancellationToken: Ct);

        await Queue.PurgeAsync(Ct);
        Clock.Advance(Visibility);

        Assert.Equal(new QueueStats(0, 0, 0, 0, null), await Queue.GetStatsAsync(Ct));
        Assert.Empty(await ReceiveNowAsync());
    }

    [Fact]
    public async Task A_poison_message_ends_in_the_DLQ_while_the_messages_around_it_keep_flowing()
    {
        await SendAsync("job 1", "poison", "job 2");
        var processed = new List<string>();
        for (var round = 0; round < 10 && !(await Queue.GetStatsAsync(Ct)).IsDrained; round++)
        {
            if (round == 1)
            {
                await SendAsync("job 3", "job 4");
            }

            var received = await ReceiveNowAsync();
            foreach (var message in received.Where(m => m.Body != "poison"))
            {
                processed.Add(message.Body);
                await Queue.DeleteAsync(message.ReceiptHandle, Ct);
            }

            // The poison message's worker fails without deleting it; it comes back after the timeout.
            if (received.Count == 0 || received.Any(m => m.Body == "poison"))
            {
                Clock.Advance(Visibility);
            }
        }

        Assert.Equal(["job 1", "job 2", "job 3", "job 4"], processed.Order());
        Assert.Equal("poison", Assert.Single(await Queue.PeekDeadLettersAsync(10, Ct)).Body);
        Assert.Equal(new QueueStats(0, 0, 0, 1, null), await Queue.GetStatsAsync(Ct));
    }

    /// <summary>Sends <paramref name="body"/> and lets every delivery lapse until it moves to the DLQ; returns its id.</summary>
    protected async Task<string> DeadLetterAsync(string body)
    {
        var id = Assert.Single(await SendAsync(body));
        for (var attempt = 0; attempt < Settings.MaxReceiveCount; attempt++)
        {
            Assert.Contains(await ReceiveNowAsync(), m => m.MessageId == id);
            Clock.Advance(Visibility);
        }

        Assert.DoesNotContain(await ReceiveNowAsync(), m => m.MessageId == id);
        return id;
    }
}
