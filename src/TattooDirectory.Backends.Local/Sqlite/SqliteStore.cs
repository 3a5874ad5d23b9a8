using Microsoft.Data.Sqlite;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>
/// The Local single-table store and its change stream, in one SQLite file in WAL mode. Every
/// write and its change rows commit in one SQLite transaction, so the stream can never miss or
/// invent a change. SQLite allows one writer: writes are serialised in-process on one
/// connection with prepared statements; reads use pooled read-only connections, which WAL
/// never blocks. One process owns the file (the change signal is in-process).
/// </summary>
public sealed partial class SqliteStore : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly SqliteConnection _writer;
    private readonly SqliteWriteSession _session;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _readConnectionString;
    private TaskCompletionSource _committed = NewSignal();
    private bool _disposed;

    public SqliteStore(string databasePath, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var fullPath = Path.GetFullPath(databasePath);
        _timeProvider = timeProvider;
        _writer = SqliteSchema.Open(fullPath);
        _session = new SqliteWriteSession(_writer);

        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();
    }

    public void Dispose()
    {
        // Waiting for the lock lets a write in flight finish rather than lose its connection.
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _session.Dispose();
            _writer.Dispose();
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);

            // Consumers blocked in WaitForChangesAsync return now and meet the disposed store
            // on their next call, instead of sleeping out their timeout during shutdown.
            _committed.TrySetResult();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction on the writer connection and
    /// commits it; an exception rolls everything back. Stream waiters are woken after the
    /// commit, and only when change rows were written.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteWriteSession, DateTimeOffset, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        bool changed;
        T result;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            _session.Begin(transaction);
            result = work(_session, _timeProvider.GetUtcNow());
            transaction.Commit();
            changed = _session.ChangesWritten > 0;
        }
        finally
        {
            _writeLock.Release();
        }

        if (changed)
        {
            Interlocked.Exchange(ref _committed, NewSignal()).TrySetResult();
        }

        return result;
    }
}
