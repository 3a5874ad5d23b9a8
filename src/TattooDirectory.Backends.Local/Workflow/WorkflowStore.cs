using Microsoft.Data.Sqlite;
using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// The workflow file: executions, their history and where each of their threads is. One connection
/// behind one lock; every write is one transaction (WAL, synchronous=FULL), so a transition, its
/// history events and the new position of its thread are committed together or not at all.
/// </summary>
internal sealed class WorkflowStore : IDisposable
{
    // Times are UTC ticks. A thread row lives while its execution runs; the history stays.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS executions (
            seq INTEGER PRIMARY KEY,
            arn TEXT NOT NULL UNIQUE,
            state_machine TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            output TEXT,
            error TEXT,
            cause TEXT,
            start_date INTEGER NOT NULL,
            stop_date INTEGER,
            UNIQUE (state_machine, name)
        );
        CREATE INDEX IF NOT EXISTS executions_by_machine ON executions (state_machine, seq);
        CREATE INDEX IF NOT EXISTS executions_running ON executions (status) WHERE status = 'RUNNING';
        CREATE TABLE IF NOT EXISTS history (
            execution INTEGER NOT NULL,
            id INTEGER NOT NULL,
            previous INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            type TEXT NOT NULL,
            state_name TEXT,
            input TEXT,
            output TEXT,
            error TEXT,
            cause TEXT,
            resource TEXT,
            iteration_index INTEGER,
            iteration_count INTEGER,
            PRIMARY KEY (execution, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS threads (
            execution INTEGER NOT NULL,
            key TEXT NOT NULL,
            item_index INTEGER,
            status TEXT NOT NULL,
            state TEXT NOT NULL,
            input TEXT NOT NULL,
            entered_at INTEGER NOT NULL,
            attempts TEXT,
            retry_at INTEGER,
            map_started INTEGER NOT NULL,
            output TEXT,
            error TEXT,
            cause TEXT,
            PRIMARY KEY (execution, key)
        ) WITHOUT ROWID;
        """;

    private const string ExecutionColumns = "seq, arn, state_machine, name, status, input, output, error, cause, start_date, stop_date";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _disposed;

    public WorkflowStore(string fullPath, TimeProvider time)
    {
        _connection = DurableSqliteFile.OpenWriter(fullPath, DurableSqliteFile.DurabilityPragmas, Tables);
        _time = time;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
    }

    /// <summary>
    /// Creates the execution and lets <paramref name="initialize"/> write its first events and
    /// thread in the same transaction. When (state machine, name) exists, returns that row, not created.
    /// </summary>
    public (ExecutionRow Row, bool Created) CreateExecution(string stateMachine, string name, string arn, string input, Action<WorkflowBatch> initialize) =>
        Locked(() =>
        {
            using var transaction = _connection.BeginTransaction();
            if (QueryExecutions(transaction, "WHERE state_machine = $machine AND name = $name", ("$machine", stateMachine), ("$name", name)) is [var existing])
            {
                return (existing, false);
            }

            var now = _time.GetUtcNow();
            using var insert = Command(transaction, """
                INSERT INTO executions (arn, state_machine, name, status, input, start_date)
                VALUES ($arn, $machine, $name, 'RUNNING', $input, $now)
                RETURNING seq
                """, ("$arn", arn), ("$machine", stateMachine), ("$name", name), ("$input", input), ("$now", now.UtcTicks));
            var seq = (long)insert.ExecuteScalar()!;
            initialize(new WorkflowBatch(_connection, transaction, seq, firstEventId: 1, now));
            transaction.Commit();
            return (new ExecutionRow(seq, new ExecutionDescription(arn, stateMachine, name, ExecutionStatus.Running, input, null, null, null, now, null)), true);
        });

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction for a running execution and commits it. The
    /// status is checked inside the transaction, which is how StopExecution wins over a task that
    /// finishes afterwards: that task's write is refused.
    /// </summary>
    /// <exception cref="ExecutionClosedException">the execution has stopped: nothing was written.</exception>
    /// <exception cref="ObjectDisposedException">the engine has shut down: nothing was written.</exception>
    public void Write(long execution, Action<WorkflowBatch> work) =>
        Locked(() =>
        {
            using var transaction = _connection.BeginTransaction();
            using var state = Command(transaction, """
                SELECT status, (SELECT COALESCE(MAX(id), 0) FROM history WHERE execution = $seq)
                FROM executions WHERE seq = $seq
                """, ("$seq", execution));
            using (var reader = state.ExecuteReader())
            {
                if (!reader.Read() || reader.GetString(0) != "RUNNING")
                {
                    throw new ExecutionClosedException();
                }

                var batch = new WorkflowBatch(_connection, transaction, execution, reader.GetInt64(1) + 1, _time.GetUtcNow());
                reader.Close();
                work(batch);
            }

            transaction.Commit();
            return true;
        });

    public ExecutionRow? FindExecution(string arn) =>
        Locked(() => QueryExecutions(null, "WHERE arn = $arn", ("$arn", arn)).SingleOrDefault());

    public List<ExecutionRow> RunningExecutions() =>
        Locked(() => QueryExecutions(null, "WHERE status = 'RUNNING' ORDER BY seq"));

    /// <summary>Up to <paramref name="limit"/> executions of a machine older than <paramref name="beforeSeq"/>, newest first.</summary>
    public List<ExecutionRow> ListExecutions(string stateMachine, ExecutionStatus? status, int limit, long beforeSeq) =>
        Locked(() => QueryExecutions(null,
            "WHERE state_machine = $machine AND seq < $before AND ($status IS NULL OR status = $status) ORDER BY seq DESC LIMIT $limit",
            ("$machine", stateMachine), ("$before", beforeSeq), ("$status", status?.ToText()), ("$limit", limit)));

    public List<ThreadRow> Threads(long execution) =>
        Locked(() =>
        {
            using var command = Command(null, """
                SELECT key, item_index, status, state, input, entered_at, attempts, retry_at, map_started, output, error, cause
                FROM threads WHERE execution = $seq ORDER BY key
                """, ("$seq", execution));
            using var reader = command.ExecuteReader();
            var rows = new List<ThreadRow>();
            while (reader.Read())
            {
                rows.Add(new ThreadRow(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    Enum.Parse<ThreadStatus>(reader.GetString(2)),
                    reader.GetString(3),
                    reader.GetString(4),
                    Time(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)),
                    reader.GetBoolean(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11)));
            }

            return rows;
        });

    /// <summary>Up to <paramref name="limit"/> events after (or, reversed, before) event <paramref name="from"/>.</summary>
    public List<HistoryEvent> History(long execution, long from, int limit, bool reverse) =>
        Locked(() =>
        {
            using var command = Command(null, $"""
                SELECT id, previous, timestamp, type, state_name, input, output, error, cause, resource, iteration_index, iteration_count
                FROM history WHERE execution = $seq AND id {(reverse ? "<" : ">")} $from
                ORDER BY id {(reverse ? "DESC" : "ASC")} LIMIT $limit
                """, ("$seq", execution), ("$from", from), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var events = new List<HistoryEvent>();
            while (reader.Read())
            {
                events.Add(new HistoryEvent(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    Time(reader.GetInt64(2)),
                    Enum.Parse<HistoryEventType>(reader.GetString(3)),
                    Text(reader, 4),
                    Text(reader, 5),
                    Text(reader, 6),
                    Text(reader, 7),
                    Text(reader, 8),
                    Text(reader, 9),
                    reader.IsDBNull(10) ? null : reader.GetInt32(10),
                    reader.IsDBNull(11) ? null : reader.GetInt32(11)));
            }

            return events;
        });

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work();
        }
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Command(_connection, transaction, sql, parameters);

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private List<ExecutionRow> QueryExecutions(SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, $"SELECT {ExecutionColumns} FROM executions {where}", parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<ExecutionRow>();
        while (reader.Read())
        {
            rows.Add(new ExecutionRow(reader.GetInt64(0), new ExecutionDescription(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                ExecutionStatusText.Parse(reader.GetString(4)),
                reader.GetString(5),
                Text(reader, 6),
                Text(reader, 7),
                Text(reader, 8),
                Time(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : Time(reader.GetInt64(10)))));
        }

        return rows;
    }
}
