using Microsoft.Data.Sqlite;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>
/// The statements of the queue file's one connection, each compiled once and reused (a receive
/// runs the same handful of statements every time). Not thread-safe: <see cref="SqliteQueues"/>
/// runs one transaction at a time behind its lock.
/// </summary>
internal sealed class QueueStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public void Begin(SqliteTransaction transaction) => _transaction = transaction;

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteScalar();

    /// <summary>Runs a query; dispose the reader before running the same statement again.</summary>
    public SqliteDataReader Query(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteReader();

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _prepared.Add(sql, command);
        }

        command.Transaction = _transaction ?? throw new InvalidOperationException("No transaction has begun.");
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
