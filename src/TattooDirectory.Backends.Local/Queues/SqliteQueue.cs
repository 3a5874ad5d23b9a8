using System.Globalization;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>
/// One named queue of <see cref="SqliteQueues"/>, with SQS semantics (see <see cref="IQueue"/>).
/// A long poll sleeps on an in-process signal that every send, redrive and release completes,
/// and on the clock until the next hidden or delayed message turns visible: no busy polling.
/// One process owns the file, so the in-process signal sees every send.
/// </summary>
public sealed partial class SqliteQueue : IQueue
{
    private readonly SqliteQueues _owner;
    private TaskCompletionSource _arrived = NewSignal();

    internal SqliteQueue(SqliteQueues owner, string name, QueueSettings settings)
    {
        _owner = owner;
        Name = name;
        Settings = settings;
    }

    public string Name { get; }

    public QueueSettings Settings { get; }

    public async Task<SendBatchResult> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        var ids = QueueLimits.ValidateBatch(messages);
        var sent = await _owner.RunAsync((statements, now) =>
        {
            // The batch commits as a whole, so no entry can fail alone here.
            var results = new SentMessage[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                var messageId = NewMessageId(now);
                statements.Execute("""
                    INSERT INTO queue_messages (queue, id, body, sent_at, visible_at)
                    VALUES ($queue, $id, $body, $now, $visible)
                    """,
                    ("$queue", Name), ("$id", messageId), ("$body", messages[i].Body), ("$now", now.UtcTicks),
                    ("$visible", (now + messages[i].Delay).UtcTicks));
                results[i] = new SentMessage(ids[i], messageId);
            }

            return results;
        }, cancellationToken);
        Wake();
        return new SendBatchResult(sent, []);
    }

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateReceive(maxMessages, waitTime, visibilityTimeout);
        var hideFor = visibilityTimeout ?? Settings.VisibilityTimeout;
        var deadline = _owner.Time.GetUtcNow() + waitTime;
        while (true)
        {
            // Take the signal before looking: a send committing in between completes this very
            // signal, so the wait below cannot miss it.
            var arrived = Volatile.Read(ref _arrived).Task;
            var (messages, nextVisibleAt) = await _owner.RunAsync((statements, now) => Take(statements, now, maxMessages, hideFor), cancellationToken);
            var now = _owner.Time.GetUtcNow();
            if (messages.Count > 0 || now >= deadline)
            {
                return messages;
            }

            var wakeAt = nextVisibleAt < deadline ? nextVisibleAt.Value : deadline;
            if (wakeAt > now)
            {
                await SleepAsync(arrived, wakeAt - now, cancellationToken);
            }
        }
    }

    public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken = default)
    {
        var (messageId, token) = ReceiptHandle.Parse(receiptHandle);
        return _owner.RunAsync((statements, _) => statements.Execute("""
            DELETE FROM queue_messages
            WHERE id = $id AND queue = $queue AND receipt = $receipt AND dead_at IS NULL
            """, ("$id", messageId), ("$queue", Name), ("$receipt", token)), cancellationToken);
    }

    public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateVisibilityTimeout(visibilityTimeout);
        var (messageId, token) = ReceiptHandle.Parse(receiptHandle);
        var changed = await _owner.RunAsync((statements, now) =>
        {
            long seq, receivedAt, visibleAt;
            using (var reader = statements.Query("""
                SELECT seq, received_at, visible_at FROM queue_messages
                WHERE id = $id AND queue = $queue AND receipt = $receipt AND dead_at IS NULL
                """, ("$id", messageId), ("$queue", Name), ("$receipt", token)))
            {
                if (!reader.Read())
                {
                    return false;
                }

                (seq, receivedAt, visibleAt) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            if (visibleAt <= now.UtcTicks)
            {
                return false;
            }

            if (now + visibilityTimeout > At(receivedAt) + QueueLimits.MaxVisibilityTimeout)
            {
                throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), visibilityTimeout,
                    $"A message stays hidden at most {QueueLimits.MaxVisibilityTimeout} after it was received.");
            }

            statements.Execute("UPDATE queue_messages SET visible_at = $visible WHERE seq = $seq",
                ("$visible", (now + visibilityTimeout).UtcTicks), ("$seq", seq));
            return true;
        }, cancellationToken);
        if (changed && visibilityTimeout == TimeSpan.Zero)
        {
            Wake();
        }

        return changed;
    }

    /// <summary>Ends every long poll's sleep so it looks again.</summary>
    internal void Wake() => Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string NewMessageId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString();

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private async Task SleepAsync(Task arrived, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timedOut = Task.Delay(delay, _owner.Time, stopTimer.Token);
        await Task.WhenAny(arrived, timedOut);
        await stopTimer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> visible messages, oldest visible first, dead-lettering
    /// those whose deliveries are used up on the way (SQS moves them on the receive attempt after
    /// the last delivery). When none is taken, also returns when the next one turns visible.
    /// </summary>
    private (IReadOnlyList<QueueMessage> Messages, DateTimeOffset? NextVisibleAt) Take(QueueStatements statements, DateTimeOffset now, int max, TimeSpan hideFor)
    {
        DropExpired(statements, now);
        var taken = new List<QueueMessage>(max);

        // With a visibility of 0 a delivered message is visible again at once: the ones already
        // looked at are excluded so one receive never returns a message twice.
        var seen = new List<long>();
        while (taken.Count < max)
        {
            var wanted = max - taken.Count;
            var candidates = Candidates(statements, now, wanted, seen);
            foreach (var candidate in candidates)
            {
                seen.Add(candidate.Seq);
                if (candidate.ReceiveCount >= Settings.MaxReceiveCount)
                {
                    statements.Execute("UPDATE queue_messages SET dead_at = $now, receipt = NULL WHERE seq = $seq",
                        ("$now", now.UtcTicks), ("$seq", candidate.Seq));
                    continue;
                }

                var token = ReceiptHandle.NewToken();
                var firstReceivedAt = candidate.FirstReceivedAt ?? now;
                statements.Execute("""
                    UPDATE queue_messages
                    SET receive_count = receive_count + 1, receipt = $receipt, received_at = $now,
                        first_received_at = $first, visible_at = $visible
                    WHERE seq = $seq
                    """,
                    ("$receipt", token), ("$now", now.UtcTicks), ("$first", firstReceivedAt.UtcTicks),
                    ("$visible", (now + hideFor).UtcTicks), ("$seq", candidate.Seq));
                taken.Add(new QueueMessage(candidate.Id, ReceiptHandle.Format(candidate.Id, token), candidate.Body,
                    candidate.ReceiveCount + 1, candidate.SentAt, firstReceivedAt));
            }

            if (candidates.Count < wanted)
            {
                break;
            }
        }

        return (taken, taken.Count > 0 ? null : NextVisibleAt(statements, now));
    }

    private List<Candidate> Candidates(QueueStatements statements, DateTimeOffset now, int limit, List<long> excluded)
    {
        using var reader = statements.Query("""
            SELECT seq, id, body, sent_at, receive_count, first_received_at FROM queue_messages
            WHERE queue = $queue AND dead_at IS NULL AND visible_at <= $now
              AND seq NOT IN (SELECT value FROM json_each($excluded))
            ORDER BY visible_at, seq LIMIT $limit
            """,
            ("$queue", Name), ("$now", now.UtcTicks), ("$limit", limit),
            ("$excluded", $"[{string.Join(',', excluded.Select(s => s.ToString(CultureInfo.InvariantCulture)))}]"));
        var candidates = new List<Candidate>(limit);
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), At(reader.GetInt64(3)), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : At(reader.GetInt64(5))));
        }

        return candidates;
    }

    private DateTimeOffset? NextVisibleAt(QueueStatements statements, DateTimeOffset now) =>
        statements.Scalar(
            "SELECT min(visible_at) FROM queue_messages WHERE queue = $queue AND dead_at IS NULL AND visible_at > $now",
            ("$queue", Name), ("$now", now.UtcTicks)) is long ticks ? At(ticks) : null;

    private readonly record struct Candidate(long Seq, string Id, string Body, DateTimeOffset SentAt, int ReceiveCount, DateTimeOffset? FirstReceivedAt);
}
