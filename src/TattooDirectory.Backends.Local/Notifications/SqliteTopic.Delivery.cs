using Microsoft.Data.Sqlite;

namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>The dispatcher's side of the outbox: due deliveries, their outcomes and the dead letters.</summary>
public sealed partial class SqliteTopic
{
    private const string Pending = "pending";
    private const string Delivered = "delivered";
    private const string Dead = "dead";

    /// <summary>Up to <paramref name="max"/> deliveries that are due now, in publish order (then subscriber).</summary>
    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return RunAsync<IReadOnlyList<OutboxMessage>>(transaction =>
        {
            using var command = Command(transaction, """
                SELECT o.id, o.topic, o.subject, o.body, o.attributes, o.published_at, d.subscriber, d.attempts
                FROM notification_deliveries AS d
                JOIN notification_outbox AS o ON o.seq = d.seq
                WHERE d.state = 'pending' AND d.retry_at <= $now
                ORDER BY d.seq, d.subscriber
                LIMIT $max
                """, ("$now", _time.GetUtcNow().UtcTicks), ("$max", max));
            using var reader = command.ExecuteReader();
            var due = new List<OutboxMessage>();
            while (reader.Read())
            {
                due.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), ReadNotification(reader, 2), ReadTime(reader, 5), reader.GetString(6), reader.GetInt32(7)));
            }

            return due;
        }, ct);
    }

    /// <summary>
    /// Records a successful delivery. Idempotent: a dispatcher that crashed after delivering and
    /// delivers again (at least once) marks it again, and the first record stands.
    /// </summary>
    /// <exception cref="ArgumentException">the message was never owed to this subscriber.</exception>
    public Task MarkDeliveredAsync(string id, string subscriber, CancellationToken ct = default) =>
        RunAsync(transaction =>
        {
            var (seq, state, _) = ReadDelivery(transaction, id, subscriber);
            if (state != Delivered)
            {
                // A late success after dead-lettering is still a delivery; the dead letter stays as history.
                Execute(transaction, "UPDATE notification_deliveries SET state = 'delivered', delivered_at = $at WHERE seq = $seq AND subscriber = $subscriber",
                    ("$at", _time.GetUtcNow().UtcTicks), ("$seq", seq), ("$subscriber", subscriber));
            }
        }, ct);

    /// <summary>
    /// Records a failed try: the delivery is due again at <paramref name="retryAt"/>, or, at the
    /// <see cref="MaxAttempts"/>th failure, moves to the dead-letter table. A failure reported
    /// for a delivery already delivered or dead is ignored.
    /// </summary>
    /// <exception cref="ArgumentException">the message was never owed to this subscriber.</exception>
    public Task RecordFailureAsync(string id, string subscriber, string error, DateTimeOffset retryAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return RunAsync(transaction =>
        {
            var (seq, state, attempts) = ReadDelivery(transaction, id, subscriber);
            if (state != Pending)
            {
                return;
            }

            attempts++;
            var dead = attempts >= MaxAttempts;
            Execute(transaction, """
                UPDATE notification_deliveries SET state = $state, attempts = $attempts, retry_at = $retry, last_error = $error
                WHERE seq = $seq AND subscriber = $subscriber
                """,
                ("$state", dead ? Dead : Pending), ("$attempts", attempts), ("$retry", retryAt.UtcTicks), ("$error", error),
                ("$seq", seq), ("$subscriber", subscriber));
            if (dead)
            {
                Execute(transaction, """
                    INSERT INTO notification_dead_letters (seq, subscriber, attempts, last_error, dead_at)
                    VALUES ($seq, $subscriber, $attempts, $error, $at)
                    """,
                    ("$seq", seq), ("$subscriber", subscriber), ("$attempts", attempts), ("$error", error), ("$at", _time.GetUtcNow().UtcTicks));
            }
        }, ct);
    }

    /// <summary>The newest <paramref name="max"/> dead letters, newest first.</summary>
    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return RunAsync<IReadOnlyList<DeadLetter>>(transaction =>
        {
            using var command = Command(transaction, """
                SELECT o.id, o.topic, l.subscriber, l.attempts, l.last_error, l.dead_at
                FROM notification_dead_letters AS l JOIN notification_outbox AS o ON o.seq = l.seq
                ORDER BY l.dead_at DESC, l.seq DESC, l.subscriber LIMIT $max
                """, ("$max", max));
            using var reader = command.ExecuteReader();
            var letters = new List<DeadLetter>();
            while (reader.Read())
            {
                letters.Add(new DeadLetter(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), ReadTime(reader, 5)));
            }

            return letters;
        }, ct);
    }

    private static (long Seq, string State, int Attempts) ReadDelivery(SqliteTransaction transaction, string id, string subscriber)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(subscriber);
        using var command = Command(transaction, """
            SELECT d.seq, d.state, d.attempts FROM notification_outbox AS o
            JOIN notification_deliveries AS d ON d.seq = o.seq
            WHERE o.id = $id AND d.subscriber = $subscriber
            """, ("$id", id), ("$subscriber", subscriber));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2))
            : throw new ArgumentException($"Message {id} was never owed to '{subscriber}'.", nameof(id));
    }
}
