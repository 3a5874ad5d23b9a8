using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>
/// The Local topic: an outbox in its own SQLite file (WAL, synchronous=FULL), so notification
/// traffic never contends with the store's single writer. A publish commits the message and one
/// delivery row per subscription before it returns; a dispatcher drains due deliveries with
/// <see cref="PendingAsync"/>, reports each outcome, and a delivery that fails
/// <see cref="MaxAttempts"/> times is dead-lettered. Every message also lands in the local
/// mailbox of its topic. Notification volume is tiny, so one connection behind one lock serves
/// reads and writes alike.
/// </summary>
public sealed class SqliteTopic : ITopic, IDisposable
{
    public const int DefaultMaxAttempts = 5;

    private const string Pending = "pending";
    private const string Delivered = "delivered";
    private const string Dead = "dead";

    private readonly TimeProvider _time;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _disposed;

    public SqliteTopic(string databasePath, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        _time = time;

        // Unpooled, so disposing really closes the file (a test or a restart can reopen it).
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        OutboxSchema.Apply(_connection);
    }

    /// <summary>Failed tries after which a delivery is moved to the dead-letter table.</summary>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one attempt is needed.");
    } = DefaultMaxAttempts;

    /// <summary>Adds a subscription (idempotent); it receives the messages published from now on.</summary>
    public Task SubscribeAsync(string topic, string subscriber, CancellationToken ct = default)
    {
        RequireKnown(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriber);
        return RunAsync(transaction => Execute(transaction,
            "INSERT OR IGNORE INTO notification_subscriptions (topic, subscriber) VALUES ($topic, $subscriber)",
            ("$topic", topic), ("$subscriber", subscriber)), ct);
    }

    /// <summary>
    /// Removes a subscription (idempotent) together with the deliveries it is still owed, so an
    /// endpoint dropped from configuration is neither retried nor dead-lettered. Finished
    /// deliveries stay as history.
    /// </summary>
    public Task UnsubscribeAsync(string topic, string subscriber, CancellationToken ct = default)
    {
        RequireKnown(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriber);
        return RunAsync(transaction =>
        {
            Execute(transaction, "DELETE FROM notification_subscriptions WHERE topic = $topic AND subscriber = $subscriber",
                ("$topic", topic), ("$subscriber", subscriber));
            Execute(transaction, """
                DELETE FROM notification_deliveries
                WHERE subscriber = $subscriber AND state = 'pending'
                  AND seq IN (SELECT seq FROM notification_outbox WHERE topic = $topic)
                """, ("$topic", topic), ("$subscriber", subscriber));
        }, ct);
    }

    /// <summary>
    /// Deletes the messages published before <paramref name="cutoff"/> that owe no delivery any
    /// more, with their delivery records and dead letters; returns how many went. Messages can
    /// carry requester contact data, which must not outlive its retention period, and the
    /// mailbox would otherwise grow forever. A pruned message's deduplication id is forgotten.
    /// </summary>
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        RunAsync(transaction =>
        {
            // A message qualifies only while it has no pending delivery, and deleting its
            // finished deliveries cannot give it one, so the same set is chosen each time.
            const string Prunable = """
                SELECT seq FROM notification_outbox AS o
                WHERE published_at < $cutoff
                  AND NOT EXISTS (SELECT 1 FROM notification_deliveries AS d WHERE d.seq = o.seq AND d.state = 'pending')
                """;
            Execute(transaction, $"DELETE FROM notification_dead_letters WHERE seq IN ({Prunable})", ("$cutoff", cutoff.UtcTicks));
            Execute(transaction, $"DELETE FROM notification_deliveries WHERE seq IN ({Prunable})", ("$cutoff", cutoff.UtcTicks));
            using var delete = Command(transaction, $"DELETE FROM notification_outbox WHERE seq IN ({Prunable})", ("$cutoff", cutoff.UtcTicks));
            return delete.ExecuteNonQuery();
        }, ct);

    public Task<string> PublishAsync(string topic, Notification message, CancellationToken ct = default) =>
        PublishAsync(topic, message, deduplicationId: null, ct);

    /// <summary>
    /// Publishes at most once per (topic, <paramref name="deduplicationId"/>): a repeat returns the
    /// first message's id and publishes nothing. The outbox is a file of its own, so a caller
    /// cannot commit a store change and its notification together; instead it publishes with an
    /// id derived from the change (e.g. request id + step) before committing the change, and a
    /// replay after a crash neither loses nor duplicates the message. Unlike SNS FIFO's 5-minute
    /// window, the id is remembered as long as the message is kept.
    /// </summary>
    public Task<string> PublishAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct = default)
    {
        RequireKnown(topic);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(message.Subject, nameof(message));
        ArgumentNullException.ThrowIfNull(message.Body, nameof(message));
        if (deduplicationId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(deduplicationId);
        }

        return RunAsync(transaction =>
        {
            if (deduplicationId is not null && FindDuplicate(transaction, topic, deduplicationId) is { } earlier)
            {
                return earlier;
            }

            var now = _time.GetUtcNow();
            var id = Guid.CreateVersion7(now).ToString("N");
            var seq = Scalar(transaction, """
                INSERT INTO notification_outbox (id, topic, subject, body, attributes, published_at, deduplication_id)
                VALUES ($id, $topic, $subject, $body, $attributes, $at, $dedup)
                RETURNING seq
                """,
                ("$id", id), ("$topic", topic), ("$subject", message.Subject), ("$body", message.Body),
                ("$attributes", NotificationAttributesJson.Serialize(message.Attributes)), ("$at", now.UtcTicks), ("$dedup", deduplicationId));
            Execute(transaction, """
                INSERT INTO notification_deliveries (seq, subscriber, state, retry_at)
                SELECT $seq, subscriber, 'pending', $at FROM notification_subscriptions WHERE topic = $topic
                """, ("$seq", seq), ("$at", now.UtcTicks), ("$topic", topic));
            return id;
        }, ct);
    }

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

    /// <summary>The newest <paramref name="max"/> messages published to the topic, newest first.</summary>
    public Task<IReadOnlyList<MailboxMessage>> MailboxAsync(string topic, int max, CancellationToken ct = default)
    {
        RequireKnown(topic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return RunAsync<IReadOnlyList<MailboxMessage>>(transaction =>
        {
            using var command = Command(transaction, """
                SELECT id, topic, subject, body, attributes, published_at FROM notification_outbox
                WHERE topic = $topic ORDER BY seq DESC LIMIT $max
                """, ("$topic", topic), ("$max", max));
            using var reader = command.ExecuteReader();
            var messages = new List<MailboxMessage>();
            while (reader.Read())
            {
                messages.Add(new MailboxMessage(reader.GetString(0), reader.GetString(1), ReadNotification(reader, 2), ReadTime(reader, 5)));
            }

            return messages;
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

    public void Dispose()
    {
        // Waiting for the lock lets a call in flight finish rather than lose its connection.
        _lock.Wait();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private static void RequireKnown(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!Topics.IsKnown(topic))
        {
            throw new ArgumentException($"'{topic}' is not a topic.", nameof(topic));
        }
    }

    private static string? FindDuplicate(SqliteTransaction transaction, string topic, string deduplicationId)
    {
        using var command = Command(transaction,
            "SELECT id FROM notification_outbox WHERE topic = $topic AND deduplication_id = $dedup",
            ("$topic", topic), ("$dedup", deduplicationId));
        return command.ExecuteScalar() as string;
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

    private static Notification ReadNotification(SqliteDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetString(first + 1),
        NotificationAttributesJson.Deserialize(reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2)));

    private static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return (long)command.ExecuteScalar()!;
    }

    private Task RunAsync(Action<SqliteTransaction> work, CancellationToken ct) =>
        RunAsync(transaction =>
        {
            work(transaction);
            return true;
        }, ct);

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; an exception rolls it back.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteTransaction, T> work, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }
}
