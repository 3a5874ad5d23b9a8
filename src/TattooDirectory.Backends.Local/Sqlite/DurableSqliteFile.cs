using Microsoft.Data.Sqlite;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>
/// Opens the long-lived writer connection of a SQLite file the Local backend owns (the store,
/// the outbox) and applies its pragmas and tables idempotently. The connection bypasses the
/// pool, so disposing it really closes the file and a restart or a test can reopen it.
/// </summary>
internal static class DurableSqliteFile
{
    /// <summary>
    /// WAL with synchronous=FULL fsyncs the log on every commit: a write that was acknowledged
    /// survives power loss. Files may add their own pragmas after these.
    /// </summary>
    public const string DurabilityPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        """;

    public static SqliteConnection OpenWriter(string fullPath, string pragmas, string tables)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        try
        {
            // journal_mode is persistent in the file but cannot change inside a transaction,
            // so the pragmas run before the DDL.
            using (var command = connection.CreateCommand())
            {
                command.CommandText = pragmas;
                command.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction();
            using var ddl = connection.CreateCommand();
            ddl.Transaction = transaction;
            ddl.CommandText = tables;
            ddl.ExecuteNonQuery();
            transaction.Commit();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
