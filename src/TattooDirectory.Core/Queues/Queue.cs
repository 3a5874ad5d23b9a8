namespace TattooDirectory.Core.Queues;

/// <summary>
/// How one queue and its dead-letter queue behave: the SQS queue attributes VisibilityTimeout and
/// MessageRetentionPeriod, and the RedrivePolicy's maxReceiveCount. Durations are whole seconds,
/// as SQS takes them. The DLQ keeps the same retention, counted from each message's original
/// send (SQS standard queues keep the enqueue timestamp when a message is dead-lettered).
/// </summary>
public sealed record QueueSettings
{
    /// <summary>How long a received message stays hidden from other receivers (SQS default 30 s; 0 s – 12 h).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries a message gets; the next receive attempt after the last one moves it to the DLQ (1 – 1,000).</summary>
    public int MaxReceiveCount { get; init; } = 3;

    /// <summary>Age (since sent) at which a message is dropped, from the queue and from the DLQ (60 s – 14 days).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(14);
}

/// <summary>
/// The named queues of a backend (SQS-shaped). Each queue has its own dead-letter queue, named
/// <c>{name}-dlq</c> on SQS, so names ending in <c>-dlq</c> are reserved.
/// </summary>
public interface IQueues
{
    /// <summary>
    /// The queue called <paramref name="name"/> with <paramref name="settings"/>, created with its
    /// DLQ when missing (SQS CreateQueue for both, with the RedrivePolicy). As with CreateQueue, a
    /// name is one queue: asking for it again with other settings is rejected.
    /// </summary>
    /// <exception cref="ArgumentException">an invalid name, settings outside the SQS limits, or settings that differ from the queue's.</exception>
    IQueue Get(string name, QueueSettings settings);
}

/// <summary>
/// One standard queue with a dead-letter queue (SQS with a RedrivePolicy): at-least-once
/// delivery, no ordering promise, a message hidden while a receiver works on it and redelivered
/// when its visibility timeout passes unless deleted. A send that returned is durable.
/// Arguments outside the SQS limits (<see cref="QueueLimits"/>) throw <see cref="ArgumentException"/>.
/// </summary>
public interface IQueue
{
    string Name { get; }

    QueueSettings Settings { get; }

    /// <summary>
    /// Sends 1 – 10 messages (SendMessageBatch) and reports the outcome of each entry by its id.
    /// Entries can fail on their own on SQS (throttling, internal errors): resend only those.
    /// </summary>
    Task<SendBatchResult> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1 – 10) visible messages and hides them for
    /// <paramref name="visibilityTimeout"/> (the queue's setting when null). With a
    /// <paramref name="waitTime"/> of up to 20 s this is a long poll: it returns as soon as a
    /// message is available, or empty when the wait ends. A message that already had
    /// <see cref="QueueSettings.MaxReceiveCount"/> deliveries is moved to the DLQ instead of returned.
    /// </summary>
    Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the delivery the receipt handle came from. A stale handle (the message was received
    /// again since, or is already gone) deletes nothing and does not fail, as on SQS, so a slow
    /// worker can never delete a newer worker's delivery.
    /// </summary>
    /// <exception cref="ArgumentException">the handle is not a receipt handle of this queue's kind.</exception>
    Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hides the message for <paramref name="visibilityTimeout"/> from now (an extension while
    /// working; <see cref="TimeSpan.Zero"/> releases it at once). Returns false when the handle is
    /// no longer in flight (received again, deleted, or its timeout passed): the worker has lost
    /// the message (SQS answers MessageNotInflight or ReceiptHandleIsInvalid).
    /// </summary>
    /// <exception cref="ArgumentException">the timeout is outside 0 – 12 h, or would end more than 12 h after the receive.</exception>
    Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxMessages"/> (1 – 10) messages of the DLQ, without taking them (a receive with visibility 0 on SQS).</summary>
    Task<IReadOnlyList<DeadLetterMessage>> PeekDeadLettersAsync(int maxMessages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every DLQ message back to the queue (StartMessageMoveTask). As on SQS, each comes back
    /// as a new message: a new id, sent now, no deliveries. Returns how many the move covers; on
    /// SQS the move runs on asynchronously and the count is approximate.
    /// </summary>
    Task<int> RedriveAsync(CancellationToken cancellationToken = default);

    /// <summary>Approximate counts (GetQueueAttributes on the queue and its DLQ) and the age of the oldest message (CloudWatch).</summary>
    Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes every message of the queue and of its DLQ (PurgeQueue on both): for tests and operators.</summary>
    Task PurgeAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One entry of a batch send. <paramref name="Id"/> names the entry in the result (1 – 80 letters,
/// digits, '-' or '_', distinct in the batch); when null it is the entry's index ("0", "1", …).
/// <paramref name="Delay"/> keeps the message invisible after the send (0 – 15 min).
/// </summary>
public sealed record OutgoingMessage(string Body, string? Id = null, TimeSpan Delay = default);

/// <summary>The outcome of a batch send, per entry id.</summary>
public sealed record SendBatchResult(IReadOnlyList<SentMessage> Successful, IReadOnlyList<FailedSend> Failed);

public sealed record SentMessage(string Id, string MessageId);

/// <summary>An entry that was not sent; <paramref name="SenderFault"/> false means a retry may succeed.</summary>
public sealed record FailedSend(string Id, string Code, string Reason, bool SenderFault);

/// <summary>
/// A received message. <see cref="ReceiptHandle"/> identifies this delivery (each receive gets a
/// new one); <see cref="ReceiveCount"/> counts deliveries including this one.
/// </summary>
public sealed record QueueMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    int ReceiveCount,
    DateTimeOffset SentAt,
    DateTimeOffset FirstReceivedAt);

/// <summary>A message in the DLQ, with the deliveries it had before it was dead-lettered.</summary>
public sealed record DeadLetterMessage(string MessageId, string Body, int ReceiveCount, DateTimeOffset SentAt);

/// <summary>
/// Approximate depth of a queue: messages ready to receive, hidden by a receive, waiting out a
/// send delay, and in the DLQ; the age of the oldest message not dead-lettered (null when none).
/// </summary>
public sealed record QueueStats(int Visible, int InFlight, int Delayed, int DeadLetters, TimeSpan? OldestMessageAge)
{
    /// <summary>Nothing left to deliver: the queue has drained (dead letters aside).</summary>
    public bool IsDrained => Visible == 0 && InFlight == 0 && Delayed == 0;
}
