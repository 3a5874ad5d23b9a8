using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Contracts;

/// <summary>This part: the SQS limits on arguments, queue names and settings.</summary>
public abstract partial class QueueContract<TQueues>
{
    /// <summary>Four UTF-8 bytes per character: 65,536 of them are exactly 256 KiB.</summary>
    private static readonly string LargestBody = string.Concat(Enumerable.Repeat("\U0001F58B", QueueLimits.MaxPayloadBytes / 4));

    public static TheoryData<string> InvalidBatches => [.. InvalidBatch.Keys];

    private static Dictionary<string, OutgoingMessage[]> InvalidBatch { get; } = new()
    {
        ["no entries"] = [],
        ["eleven entries"] = [.. Enumerable.Range(0, 11).Select(i => new OutgoingMessage($"m{i}"))],
        ["the same id twice"] = [new("a", "id"), new("b", "id")],
        ["an id clashing with an index"] = [new("a"), new("b", "0")],
        ["an id with a space"] = [new("a", "my id")],
        ["an id of 81 characters"] = [new("a", new string('x', 81))],
        ["an empty body"] = [new("")],
        ["a NUL character"] = [new("a\0b")],
        ["U+FFFE"] = [new("a\uFFFEb")],
        ["an unpaired surrogate"] = [new("a\uD83Db")],
        ["a body one byte over 256 KiB"] = [new(LargestBody + "x")],
        ["a batch over 256 KiB in total"] = [new(new string('a', 131_073)), new(new string('b', 131_072))],
        ["a delay over 15 minutes"] = [new("a", Delay: TimeSpan.FromSeconds(901))],
        ["a negative delay"] = [new("a", Delay: TimeSpan.FromSeconds(-1))],
        ["a delay in fractions of a second"] = [new("a", Delay: TimeSpan.FromMilliseconds(1500))],
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task A_batch_outside_the_SQS_limits_is_rejected_and_sends_nothing(string batch)
    {
        var messages = new List<OutgoingMessage>(InvalidBatch[batch]);
        if (messages.Count is > 0 and < 10)
        {
            messages.Add(new OutgoingMessage("a valid neighbour", "neighbour"));
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.SendBatchAsync(messages, Ct));

        Assert.Equal(new QueueStats(0, 0, 0, 0, null), await Queue.GetStatsAsync(Ct));
    }

    [Fact]
    public async Task A_batch_at_every_SQS_limit_is_accepted()
    {
        var full = await Queue.SendBatchAsync([.. Enumerable.Range(0, 10).Select(i => new OutgoingMessage($"tab\tnewline\ncr\r{i}", $"{new string('x', 78)}{i:D2}"))], Ct);
        var largest = await Queue.SendBatchAsync([new(LargestBody, Delay: QueueLimits.MaxDelay)], Ct);

        Assert.Equal(11, full.Successful.Count + largest.Successful.Count);
        Clock.Advance(QueueLimits.MaxDelay);
        var received = new List<QueueMessage>();
        received.AddRange(await ReceiveNowAsync());
        received.AddRange(await ReceiveNowAsync());
        Assert.Contains(received, m => m.Body == LargestBody);
        Assert.Equal(11, received.Count);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(11, 0)]
    [InlineData(1, -1)]
    [InlineData(1, 21)]
    [InlineData(1, 0.5)]
    public async Task A_receive_outside_the_SQS_limits_is_rejected(int maxMessages, double waitSeconds) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.ReceiveAsync(maxMessages, TimeSpan.FromSeconds(waitSeconds), cancellationToken: Ct));

    [Theory]
    [InlineData(-1)]
    [InlineData(43_201)]
    [InlineData(1.5)]
    public async Task A_visibility_timeout_outside_0_to_12_hours_in_whole_seconds_is_rejected(double seconds)
    {
        await SendAsync("job");
        var message = Assert.Single(await ReceiveNowAsync());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.FromSeconds(seconds), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.FromSeconds(seconds), Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Peeking_outside_1_to_10_messages_is_rejected(int maxMessages) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.PeekDeadLettersAsync(maxMessages, Ct));

    [Theory]
    [InlineData("")]
    [InlineData("scrape jobs")]
    [InlineData("scrape.jobs")]
    [InlineData("scrape-jobs-dlq")]
    [InlineData("ärtists")]
    [InlineData("a-name-of-seventy-seven-characters-which-leaves-no-room-for-the-dlq-suffix-xx")]
    public void A_queue_name_SQS_would_refuse_is_rejected(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => Queues.Get(name, Settings));

    public static TheoryData<string> InvalidSettings => [.. InvalidSetting.Keys];

    private static Dictionary<string, QueueSettings> InvalidSetting { get; } = new()
    {
        ["visibility over 12 hours"] = Settings with { VisibilityTimeout = TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1) },
        ["visibility in fractions of a second"] = Settings with { VisibilityTimeout = TimeSpan.FromMilliseconds(2500) },
        ["retention under a minute"] = Settings with { Retention = TimeSpan.FromSeconds(59) },
        ["retention over 14 days"] = Settings with { Retention = TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1) },
        ["no deliveries"] = Settings with { MaxReceiveCount = 0 },
        ["over 1,000 deliveries"] = Settings with { MaxReceiveCount = 1001 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Settings_outside_the_SQS_limits_are_rejected(string settings) =>
        Assert.ThrowsAny<ArgumentException>(() => Queues.Get("other-queue", InvalidSetting[settings]));

    [Fact]
    public void A_queue_asked_for_again_is_the_same_queue_and_other_settings_are_refused()
    {
        var again = Queues.Get(QueueName, Settings with { });

        Assert.Equal((QueueName, Settings), (again.Name, again.Settings));
        Assert.ThrowsAny<ArgumentException>(() => Queues.Get(QueueName, Settings with { MaxReceiveCount = 5 }));
    }
}
