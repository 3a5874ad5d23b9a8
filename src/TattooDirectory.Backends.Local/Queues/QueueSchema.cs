using Microsoft.Data.Sqlite;
using TattooDirectory.Backends.Local.Sqlite;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>The tables of the queue file (all named queues and their DLQs), applied idempotently on open.</summary>
internal static class QueueSchema
{
    // One row per message for its whole life; its state follows from the columns, so every
    // transition (receive, dead-letter, redrive) is one UPDATE and cannot half-happen:
    //   dead_at set                                 → in the DLQ
    //   visible_at <= now                           → visible
    //   visible_at > now, receive_count > 0         → in flight (receipt = current delivery)
    //   visible_at > now, receive_count = 0         → delayed
    // Times are UTC ticks. The partial indexes serve a receive (oldest visible first), the DLQ
    // and retention without scanning the rest of the file.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS queue_messages (
            seq INTEGER PRIMARY KEY,
            queue TEXT NOT NULL,
            id TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0,
            first_received_at INTEGER,
            received_at INTEGER,
            receipt TEXT,
            dead_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS queue_messages_ready ON queue_messages (queue, visible_at, seq) WHERE dead_at IS NULL;
        CREATE INDEX IF NOT EXISTS queue_messages_dead ON queue_messages (queue, dead_at, seq) WHERE dead_at IS NOT NULL;
        CREATE INDEX IF NOT EXISTS queue_messages_sent ON queue_messages (queue, sent_at);
        """;

    /// <summary>The store's durability: a send or delete that returned survives power loss.</summary>
    public static SqliteConnection Open(string fullPath) => DurableSqliteFile.OpenWriter(fullPath, DurableSqliteFile.DurabilityPragmas, Tables);
}
