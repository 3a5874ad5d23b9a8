using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

public sealed partial class SqliteStore : IChangeStream
{
    /// <summary>How long change records are kept at least (DynamoDB Streams keeps 24 hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // Trimming piggybacks on checkpoint saves, which every consumer makes regularly; the
    // interval keeps it from running on each one.
    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<ChangeRecord>> ReadAsync(long afterSequence, int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, kind, pk, sk, old_image, new_image, committed_at FROM changes
            WHERE seq > $after ORDER BY seq LIMIT $max
            """;
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", maxRecords);
        var records = new List<ChangeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ChangeRecord(
                reader.GetInt64(0),
                ChangeKinds.Parse(reader.GetString(1)),
                new ItemKey(reader.GetString(2), reader.GetString(3)),
                ItemImageJson.Deserialize(reader.IsDBNull(4) ? null : reader.GetString(4)),
                ItemImageJson.Deserialize(reader.IsDBNull(5) ? null : reader.GetString(5)),
                ItemRows.FromTicks(reader.GetInt64(6))));
        }

        return records;
    }

    public async Task WaitForChangesAsync(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Take the signal before looking at the sequence: a commit landing in between then
        // completes this very signal, so it cannot be missed.
        var committed = Volatile.Read(ref _committed).Task;
        if (await GetLatestSequenceAsync(cancellationToken) > afterSequence || timeout == TimeSpan.Zero)
        {
            return;
        }

        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timedOut = Task.Delay(timeout, _timeProvider, stopTimer.Token);
        await Task.WhenAny(committed, timedOut);
        await stopTimer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken = default)
    {
        // sqlite_sequence keeps the high-water mark of the AUTOINCREMENT key, so the answer
        // stays right even after retention trimmed every record.
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce((SELECT seq FROM checkpoints WHERE consumer = $consumer), 0)";
        command.Parameters.AddWithValue("$consumer", consumer);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task SaveCheckpointAsync(string consumer, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        await WriteAsync((session, now) =>
        {
            session.SaveCheckpoint(consumer, sequence);
            if (now - _lastTrim >= TrimInterval)
            {
                session.TrimChanges(now - Retention);
                _lastTrim = now;
            }

            return true;
        }, cancellationToken);
    }
}
