using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Contracts;

/// <summary>This part: concurrent receivers, restarts and separate named queues.</summary>
public abstract partial class QueueContract<TQueues>
{
    [Fact]
    public async Task Concurrent_receivers_get_each_message_exactly_once_while_it_is_hidden()
    {
        var sent = new List<string>();
        for (var batch = 0; batch < 6; batch++)
        {
            sent.AddRange(await SendAsync([.. Enumerable.Range(0, 10).Select(i => $"job {batch}-{i}")]));
        }

        var receivers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await Queue.ReceiveAsync(3, TimeSpan.Zero, cancellationToken: Ct) is { Count: > 0 } received)
            {
                mine.AddRange(received.Select(m => m.MessageId));
            }

            return mine;
        }, Ct));
        var taken = (await Promptly(Task.WhenAll(receivers))).SelectMany(ids => ids).ToList();

        Assert.Equal(sent.Order(), taken.Order());
    }

    [Fact]
    public async Task Sent_deleted_hidden_and_dead_messages_stay_as_they_were_across_a_restart()
    {
        var dead = await DeadLetterAsync("dead");
        await SendAsync("done", "working", "released");
        var byBody = (await Queue.ReceiveAsync(10, TimeSpan.Zero, TimeSpan.FromSeconds(60), Ct)).ToDictionary(m => m.Body);
        await SendAsync("not yet received");
        await Queue.DeleteAsync(byBody["done"].ReceiptHandle, Ct);
        await Queue.ChangeVisibilityAsync(byBody["released"].ReceiptHandle, TimeSpan.Zero, Ct);
        var before = await Queue.GetStatsAsync(Ct);

        await RestartAsync();

        Assert.Equal(before, await Queue.GetStatsAsync(Ct));
        Assert.Equal(dead, Assert.Single(await Queue.PeekDeadLettersAsync(10, Ct)).MessageId);
        var afterRestart = await Queue.ReceiveAsync(10, TimeSpan.Zero, TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(["not yet received", "released"], afterRestart.Select(m => m.Body).Order());
        Clock.Advance(TimeSpan.FromSeconds(60));
        var redelivered = Assert.Single(await ReceiveNowAsync());
        Assert.Equal((byBody["working"].MessageId, 2), (redelivered.MessageId, redelivered.ReceiveCount));
        await Queue.DeleteAsync(redelivered.ReceiptHandle, Ct);
        Assert.DoesNotContain(await ReceiveAfterAllTimeoutsAsync(), m => m.Body == "done");
    }

    [Fact]
    public async Task A_receipt_from_before_a_restart_still_deletes_its_delivery()
    {
        await SendAsync("job");
        var message = Assert.Single(await ReceiveNowAsync());

        await RestartAsync();
        await Queue.DeleteAsync(message.ReceiptHandle, Ct);

        Assert.Empty(await ReceiveAfterAllTimeoutsAsync());
    }

    [Fact]
    public async Task Queues_with_different_names_share_neither_messages_nor_dead_letters()
    {
        var other = Queues.Get("other-queue", Settings);
        await DeadLetterAsync("dead in ours");
        await other.SendBatchAsync([new("theirs")], Ct);

        var ours = await ReceiveNowAsync();
        var theirs = await other.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: Ct);
        await Queue.PurgeAsync(Ct);

        Assert.Empty(ours);
        Assert.Equal("theirs", Assert.Single(theirs).Body);
        Assert.Empty(await other.PeekDeadLettersAsync(10, Ct));
        Assert.Equal(1, (await other.GetStatsAsync(Ct)).InFlight);
    }

    private async Task RestartAsync()
    {
        await CloseAsync();
        Queues = await OpenAsync(Clock);
        Queue = Queues.Get(QueueName, Settings);
    }

    /// <summary>Everything visible once every visibility timeout used in these tests has passed.</summary>
    private async Task<IReadOnlyList<QueueMessage>> ReceiveAfterAllTimeoutsAsync()
    {
        Clock.Advance(TimeSpan.FromHours(1));
        return await ReceiveNowAsync();
    }
}
