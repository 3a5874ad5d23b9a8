using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local;

/// <summary>Opens and closes a <see cref="SqliteStore"/> on one file in a temp directory, so a test can reopen it from the same path.</summary>
internal sealed class SqliteStoreHost : IDisposable
{
    private readonly TempDirectory _directory = new();
    private SqliteStore? _store;

    public string DatabasePath => _directory.Combine("store.db");

    public SqliteStore Open(TimeProvider timeProvider)
    {
        Close();
        return _store = new SqliteStore(DatabasePath, timeProvider);
    }

    public void Close()
    {
        _store?.Dispose();
        _store = null;
    }

    public void Dispose()
    {
        Close();
        _directory.Dispose();
    }
}
