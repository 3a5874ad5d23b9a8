using Microsoft.Data.Sqlite;
using TattooDirectory.Backends.Local.Sqlite;

namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>Connection settings and tables of the outbox file, applied idempotently on open.</summary>
internal static class OutboxSchema
{
    // A publish writes its message and one delivery row per subscription of the topic at that
    // moment (SNS fan-out), in one transaction, so a subscriber added later never receives
    // history and a crash can neither lose a delivery nor invent one. seq gives publish order.
    // Dead deliveries keep their row (state 'dead') so a late MarkDelivered is still recorded
    // once; the dead-letter table is what operators read.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS notification_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            topic TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            attributes TEXT,
            published_at INTEGER NOT NULL,
            deduplication_id TEXT
        );
        CREATE INDEX IF NOT EXISTS notification_outbox_topic ON notification_outbox (topic, seq);
        CREATE UNIQUE INDEX IF NOT EXISTS notification_outbox_deduplication ON notification_outbox (topic, deduplication_id) WHERE deduplication_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS notification_subscriptions (
            topic TEXT NOT NULL,
            subscriber TEXT NOT NULL,
            PRIMARY KEY (topic, subscriber)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS notification_deliveries (
            seq INTEGER NOT NULL REFERENCES notification_outbox (seq),
            subscriber TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            retry_at INTEGER NOT NULL,
            last_error TEXT,
            delivered_at INTEGER,
            PRIMARY KEY (seq, subscriber)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (seq, subscriber) WHERE state = 'pending';
        CREATE TABLE IF NOT EXISTS notification_dead_letters (
            seq INTEGER NOT NULL,
            subscriber TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            dead_at INTEGER NOT NULL,
            PRIMARY KEY (seq, subscriber)
        ) WITHOUT ROWID;
        """;

    /// <summary>The same durability as the store: a publish that returned survives power loss.</summary>
    public static SqliteConnection Open(string fullPath) => DurableSqliteFile.OpenWriter(fullPath, DurableSqliteFile.DurabilityPragmas, Tables);
}
