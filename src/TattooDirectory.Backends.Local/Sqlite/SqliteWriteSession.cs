using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>What a key holds when a write starts: its live item (if any) and the last version it consumed.</summary>
internal readonly record struct KeyState(ItemKey Key, Item? Current, long LastVersion);

/// <summary>
/// The statements of the single writer connection, prepared once and reused for every write
/// (SQLite compiles a statement once per command object, which is what makes bulk loads fast).
/// Not thread-safe: the store serialises all use behind its write lock, one transaction at a time.
/// </summary>
internal sealed class SqliteWriteSession : IDisposable
{
    private readonly SqliteCommand _readState;
    private readonly SqliteParameter[] _readStateKey;
    private readonly SqliteCommand _putItem;
    private readonly SqliteParameter[] _putItemValues;
    private readonly SqliteCommand _deleteItem;
    private readonly SqliteParameter[] _deleteItemKey;
    private readonly SqliteCommand _retireVersion;
    private readonly SqliteParameter[] _retireVersionValues;
    private readonly SqliteCommand _appendChange;
    private readonly SqliteParameter[] _appendChangeValues;
    private readonly SqliteCommand _saveCheckpoint;
    private readonly SqliteParameter[] _saveCheckpointValues;
    private readonly SqliteCommand _trimChanges;
    private readonly SqliteParameter[] _trimChangesCutoff;
    private readonly SqliteCommand[] _all;

    public SqliteWriteSession(SqliteConnection connection)
    {
        (_readState, _readStateKey) = Create(connection, $"""
            SELECT {ItemRows.Columns("i")}, d.version
            FROM (SELECT $pk AS pk, $sk AS sk) AS k
            LEFT JOIN items AS i ON i.pk = k.pk AND i.sk = k.sk
            LEFT JOIN deleted_versions AS d ON d.pk = k.pk AND d.sk = k.sk
            """, ("$pk", SqliteType.Text), ("$sk", SqliteType.Text));

        _putItem = connection.CreateCommand();
        _putItem.CommandText = $"INSERT OR REPLACE INTO items ({ItemRows.Columns()}) VALUES ({ItemRows.Parameters})";
        _putItemValues = ItemRows.AddParameters(_putItem);

        (_deleteItem, _deleteItemKey) = Create(connection,
            "DELETE FROM items WHERE pk = $pk AND sk = $sk",
            ("$pk", SqliteType.Text), ("$sk", SqliteType.Text));

        (_retireVersion, _retireVersionValues) = Create(connection,
            "INSERT OR REPLACE INTO deleted_versions (pk, sk, version) VALUES ($pk, $sk, $version)",
            ("$pk", SqliteType.Text), ("$sk", SqliteType.Text), ("$version", SqliteType.Integer));

        (_appendChange, _appendChangeValues) = Create(connection, """
            INSERT INTO changes (kind, pk, sk, old_image, new_image, committed_at)
            VALUES ($kind, $pk, $sk, $old, $new, $at)
            """,
            ("$kind", SqliteType.Text), ("$pk", SqliteType.Text), ("$sk", SqliteType.Text),
            ("$old", SqliteType.Text), ("$new", SqliteType.Text), ("$at", SqliteType.Integer));

        (_saveCheckpoint, _saveCheckpointValues) = Create(connection,
            "INSERT OR REPLACE INTO checkpoints (consumer, seq) VALUES ($consumer, $seq)",
            ("$consumer", SqliteType.Text), ("$seq", SqliteType.Integer));

        // Changes are appended in clock order, so the expired ones are a run at the start of
        // the table: the subquery walks only that run, and the committed_at test still
        // guarantees nothing younger than the cutoff goes even if the clock ever stepped back.
        // Kinder than DynamoDB: a record no consumer has checkpointed past is kept beyond the 24 h,
        // so a sync that was down for a day resumes instead of silently missing changes.
        (_trimChanges, _trimChangesCutoff) = Create(connection, """
            DELETE FROM changes
            WHERE seq < coalesce((SELECT seq FROM changes WHERE committed_at >= $cutoff ORDER BY seq LIMIT 1), 9223372036854775807)
              AND committed_at < $cutoff
              AND seq <= (SELECT coalesce(min(seq), 0) FROM checkpoints)
            """, ("$cutoff", SqliteType.Integer));

        _all = [_readState, _putItem, _deleteItem, _retireVersion, _appendChange, _saveCheckpoint, _trimChanges];
    }

    /// <summary>Change rows written since <see cref="Begin"/>; the store wakes stream waiters only when there were some.</summary>
    public int ChangesWritten { get; private set; }

    public void Begin(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        ChangesWritten = 0;
    }

    public KeyState ReadState(ItemKey key)
    {
        _readStateKey[0].Value = key.Pk;
        _readStateKey[1].Value = key.Sk;
        using var reader = _readState.ExecuteReader();
        reader.Read();
        var current = ItemRows.Read(reader);
        var retired = reader.IsDBNull(ItemRows.ColumnCount) ? 0 : reader.GetInt64(ItemRows.ColumnCount);
        return new KeyState(key, current, Math.Max(current?.Version ?? 0, retired));
    }

    /// <summary>Writes the item with the next version of its key and the matching Insert or Modify change.</summary>
    public Item Put(Item item, KeyState state, DateTimeOffset now)
    {
        var stored = item with { Version = state.LastVersion + 1, UpdatedAt = now };
        ItemRows.Bind(_putItemValues, stored);
        _putItem.ExecuteNonQuery();
        AppendChange(state.Current is null ? ChangeKind.Insert : ChangeKind.Modify, stored.Key, state.Current, stored, now);
        return stored;
    }

    /// <summary>
    /// Deletes the live item. The delete consumes a version of its own, so a tombstone written
    /// at the removed image's version + 1 still loses to any later re-create.
    /// </summary>
    public void Delete(KeyState state, DateTimeOffset now)
    {
        var current = state.Current ?? throw new InvalidOperationException($"{state.Key} has no item to delete.");
        _deleteItemKey[0].Value = state.Key.Pk;
        _deleteItemKey[1].Value = state.Key.Sk;
        _deleteItem.ExecuteNonQuery();
        _retireVersionValues[0].Value = state.Key.Pk;
        _retireVersionValues[1].Value = state.Key.Sk;
        _retireVersionValues[2].Value = state.LastVersion + 1;
        _retireVersion.ExecuteNonQuery();
        AppendChange(ChangeKind.Remove, state.Key, current, null, now);
    }

    public void SaveCheckpoint(string consumer, long sequence)
    {
        _saveCheckpointValues[0].Value = consumer;
        _saveCheckpointValues[1].Value = sequence;
        _saveCheckpoint.ExecuteNonQuery();
    }

    /// <summary>Deletes change records committed before the cutoff; returns how many went.</summary>
    public int TrimChanges(DateTimeOffset cutoff)
    {
        _trimChangesCutoff[0].Value = cutoff.UtcTicks;
        return _trimChanges.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private void AppendChange(ChangeKind kind, ItemKey key, Item? oldImage, Item? newImage, DateTimeOffset now)
    {
        _appendChangeValues[0].Value = ChangeKinds.ToText(kind);
        _appendChangeValues[1].Value = key.Pk;
        _appendChangeValues[2].Value = key.Sk;
        _appendChangeValues[3].Value = oldImage is null ? DBNull.Value : ItemImageJson.Serialize(oldImage);
        _appendChangeValues[4].Value = newImage is null ? DBNull.Value : ItemImageJson.Serialize(newImage);
        _appendChangeValues[5].Value = now.UtcTicks;
        _appendChange.ExecuteNonQuery();
        ChangesWritten++;
    }

    private static (SqliteCommand, SqliteParameter[]) Create(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return (command, [.. parameters.Select(p => command.Parameters.Add(p.Name, p.Type))]);
    }
}

/// <summary>The change kinds as stored: words rather than enum ordinals, so reordering the enum cannot corrupt history.</summary>
internal static class ChangeKinds
{
    public static string ToText(ChangeKind kind) => kind switch
    {
        ChangeKind.Insert => "INSERT",
        ChangeKind.Modify => "MODIFY",
        ChangeKind.Remove => "REMOVE",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ChangeKind Parse(string text) => text switch
    {
        "INSERT" => ChangeKind.Insert,
        "MODIFY" => ChangeKind.Modify,
        "REMOVE" => ChangeKind.Remove,
        _ => throw new InvalidDataException($"Unknown change kind '{text}'."),
    };
}
