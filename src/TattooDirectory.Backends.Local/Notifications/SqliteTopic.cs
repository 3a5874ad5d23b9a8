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
public sealed partial class SqliteTopic : ITopic, IDisposable
{
    public const int DefaultMaxAttempts = 5;

    private readonly TimeProvider _time;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _disposed;

    public SqliteTopic(string databasePath, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _connection = OutboxSchema.Open(Path.GetFullPath(databasePath));
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

    /// <summary>Every (topic, subscriber) pair subscribed now, ordered by topic then subscriber.</summary>
    public Task<IReadOnlyList<TopicSubscription>> SubscriptionsAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<TopicSubscription>>(transaction =>
        {
            using var command = Command(transaction, "SELECT topic, subscriber FROM notification_subscriptions ORDER BY topic, subscriber");
            using var reader = command.ExecuteReader();
            var subscriptions = new List<TopicSubscription>();
            while (reader.Read())
            {
                subscriptions.Add(new TopicSubscription(reader.GetString(0), reader.GetString(1)));
            }

            return subscriptions;
        }, ct);

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
    /// first message's id and publishes nothing. This file cannot share a transaction with the
    /// store, so a change commits its notification as a table outbox item (Core's Outbox) and the
    /// OutboxRelay publishes it here with the outbox message id: a relay that stops between
    /// publishing and deleting the item neither loses nor duplicates the message. Unlike SNS
    /// FIFO's 5-minute window, the id is remembered as long as the message is kept.
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

        return PublishCoreAsync(topic, message, deduplicationId, ct);
    }

    private async Task<string> PublishCoreAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct)
    {
        var published = false;
        var id = await RunAsync(transaction =>
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
            published = true;
            return id;
        }, ct);

        // Only after the commit: a dispatcher woken earlier could miss the new deliveries.
        if (published)
        {
            RingDoorbell();
        }

        return id;
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
