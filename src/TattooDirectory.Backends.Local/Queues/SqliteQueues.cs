using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>
/// The Local queues: every named queue and its DLQ in one SQLite file (WAL, synchronous=FULL), of
/// its own so queue traffic never contends with the store's writer. Each operation is one
/// transaction on one connection behind one lock, which is what makes a receive atomic: two
/// receivers can never take the same message while it is hidden. Settings live in memory, given
/// by whoever opens a queue; the file holds only messages, so a changed setting applies on restart.
/// </summary>
public sealed class SqliteQueues : IQueues, IDisposable
{
    /// <summary>The file name under the data directory.</summary>
    public const string FileName = "queues.db";

    private readonly SqliteConnection _connection;
    private readonly QueueStatements _statements;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Lock _queuesGate = new();
    private readonly Dictionary<string, SqliteQueue> _queues = new(StringComparer.Ordinal);
    private bool _disposed;

    public SqliteQueues(string databasePath, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        _connection = QueueSchema.Open(Path.GetFullPath(databasePath));
        _statements = new QueueStatements(_connection);
    }

    internal TimeProvider Time { get; }

    IQueue IQueues.Get(string name, QueueSettings settings) => Get(name, settings);

    /// <inheritdoc cref="IQueues.Get"/>
    public SqliteQueue Get(string name, QueueSettings settings)
    {
        QueueLimits.ValidateName(name);
        QueueLimits.Validate(settings);
        lock (_queuesGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queues.TryGetValue(name, out var open))
            {
                return open.Settings == settings
                    ? open
                    : throw new ArgumentException($"Queue '{name}' is already open with other settings ({open.Settings}).", nameof(settings));
            }

            var queue = new SqliteQueue(this, name, settings);
            _queues.Add(name, queue);
            return queue;
        }
    }

    public void Dispose()
    {
        // Waiting for the lock lets an operation in flight finish rather than lose its connection.
        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            SqliteQueue[] open;
            lock (_queuesGate)
            {
                _disposed = true;
                open = [.. _queues.Values];
            }

            _statements.Dispose();
            _connection.Dispose();

            // Long polls in progress return now and meet the disposed queues on their next
            // look, instead of sleeping out their wait during shutdown.
            foreach (var queue in open)
            {
                queue.Wake();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction at the current time and commits it; an exception rolls it back.</summary>
    internal async Task<T> RunAsync<T>(Func<QueueStatements, DateTimeOffset, T> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            _statements.Begin(transaction);
            var result = work(_statements, Time.GetUtcNow());
            transaction.Commit();
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }
}
