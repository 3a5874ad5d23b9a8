using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>The operator's side of a queue: the DLQ, the counts, retention and purging.</summary>
public sealed partial class SqliteQueue
{
    public Task<IReadOnlyList<DeadLetterMessage>> PeekDeadLettersAsync(int maxMessages, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidatePeek(maxMessages);
        return _owner.RunAsync<IReadOnlyList<DeadLetterMessage>>((statements, now) =>
        {
            DropExpired(statements, now);
            using var reader = statements.Query("""
                SELECT id, body, receive_count, sent_at FROM queue_messages
                WHERE queue = $queue AND dead_at IS NOT NULL
                ORDER BY dead_at, seq LIMIT $max
                """, ("$queue", Name), ("$max", maxMessages));
            var letters = new List<DeadLetterMessage>(maxMessages);
            while (reader.Read())
            {
                letters.Add(new DeadLetterMessage(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), At(reader.GetInt64(3))));
            }

            return letters;
        }, cancellationToken);
    }

    public async Task<int> RedriveAsync(CancellationToken cancellationToken = default)
    {
        var moved = await _owner.RunAsync((statements, now) =>
        {
            DropExpired(statements, now);
            var dead = new List<long>();
            using (var reader = statements.Query(
                "SELECT seq FROM queue_messages WHERE queue = $queue AND dead_at IS NOT NULL ORDER BY dead_at, seq", ("$queue", Name)))
            {
                while (reader.Read())
                {
                    dead.Add(reader.GetInt64(0));
                }
            }

            // SQS redrives a message as a new one (new id, enqueued now): its retention starts
            // again and its deliveries count from zero, and receipts of the dead one are void.
            foreach (var seq in dead)
            {
                statements.Execute("""
                    UPDATE queue_messages
                    SET id = $id, sent_at = $now, visible_at = $now, receive_count = 0, first_received_at = NULL,
                        received_at = NULL, receipt = NULL, dead_at = NULL
                    WHERE seq = $seq
                    """, ("$id", NewMessageId(now)), ("$now", now.UtcTicks), ("$seq", seq));
            }

            return dead.Count;
        }, cancellationToken);
        if (moved > 0)
        {
            Wake();
        }

        return moved;
    }

    public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        _owner.RunAsync((statements, now) =>
        {
            DropExpired(statements, now);
            using var reader = statements.Query("""
                SELECT
                    coalesce(sum(dead_at IS NULL AND visible_at <= $now), 0),
                    coalesce(sum(dead_at IS NULL AND visible_at > $now AND receive_count > 0), 0),
                    coalesce(sum(dead_at IS NULL AND visible_at > $now AND receive_count = 0), 0),
                    coalesce(sum(dead_at IS NOT NULL), 0),
                    min(CASE WHEN dead_at IS NULL THEN sent_at END)
                FROM queue_messages WHERE queue = $queue
                """, ("$queue", Name), ("$now", now.UtcTicks));
            reader.Read();
            return new QueueStats(
                reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : now - At(reader.GetInt64(4)));
        }, cancellationToken);

    public Task PurgeAsync(CancellationToken cancellationToken = default) =>
        _owner.RunAsync((statements, _) => statements.Execute("DELETE FROM queue_messages WHERE queue = $queue", ("$queue", Name)), cancellationToken);

    /// <summary>
    /// Drops the messages, dead or alive, whose age reached the retention period. Every operation
    /// that reads messages calls it first, so an expired message is never seen; it costs one
    /// index seek when nothing expired.
    /// </summary>
    private void DropExpired(QueueStatements statements, DateTimeOffset now) =>
        statements.Execute("DELETE FROM queue_messages WHERE queue = $queue AND sent_at <= $cutoff",
            ("$queue", Name), ("$cutoff", (now - Settings.Retention).UtcTicks));
}
