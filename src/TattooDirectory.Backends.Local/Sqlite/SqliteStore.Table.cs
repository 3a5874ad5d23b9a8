using System.Runtime.CompilerServices;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

public sealed partial class SqliteStore : ITable
{
    // A commit writes every page the chunk dirtied to the WAL and then checkpoints it; random
    // GSI inserts dirty a page per item, so bigger chunks write each page once for many items
    // (measured: 10k-item chunks load about half as fast as 50k). Still bounded, so other
    // writers get the lock between chunks and the WAL stays within a few hundred MB.
    internal const int BatchChunkSize = 50_000;

    private const int ScanPageSize = 1_000;

    public async Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        TableRules.ValidateKey(key);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemRows.Columns()} FROM items WHERE pk = $pk AND sk = $sk";
        command.Parameters.AddWithValue("$pk", key.Pk);
        command.Parameters.AddWithValue("$sk", key.Sk);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ItemRows.Read(reader) : null;
    }

    public async Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        SqliteQuery.Prepare(command, query);
        var items = new List<Item>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ItemRows.Read(reader)!);
            }
        }

        if (items.Count <= query.Limit)
        {
            return new QueryPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new QueryPage(items, SqliteQuery.CursorAfter(query, items[^1]));
    }

    public async IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKeyPrefix);
        ItemKey? after = null;
        while (true)
        {
            // Each page is read and its connection returned before the caller sees an item, so
            // a slow consumer never pins a read snapshot (and the WAL) for the whole scan.
            var page = await ReadScanPageAsync(partitionKeyPrefix, after, cancellationToken);
            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < ScanPageSize)
            {
                yield break;
            }

            after = page[^1].Key;
        }
    }

    public async Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        TableRules.ValidateItem(item);
        return await WriteAsync((session, now) =>
        {
            var state = session.ReadState(item.Key);
            return TableRules.Holds(condition, state.Current)
                ? session.Put(item, state, now)
                : throw new ConditionalCheckFailedException(item.Key);
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        TableRules.ValidateKey(key);
        return await WriteAsync((session, now) =>
        {
            var state = session.ReadState(key);
            if (!TableRules.Holds(condition, state.Current))
            {
                throw new ConditionalCheckFailedException(key);
            }

            if (state.Current is null)
            {
                return false;
            }

            session.Delete(state, now);
            return true;
        }, cancellationToken);
    }

    public async Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        TableRules.ValidateTransaction(writes);
        await WriteAsync((session, now) =>
        {
            var states = writes.Select(w => session.ReadState(w.Key)).ToArray();
            var reasons = writes
                .Select((w, i) => TableRules.Holds(w.Condition, states[i].Current) ? null : TableRules.ConditionalCheckFailed)
                .ToArray();
            if (reasons.Any(r => r is not null))
            {
                throw new TransactionCanceledException(reasons);
            }

            for (var i = 0; i < writes.Count; i++)
            {
                Apply(session, writes[i], states[i], now);
            }

            return true;
        }, cancellationToken);
    }

    public async Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        TableRules.ValidateBatch(writes);
        foreach (var chunk in writes.Chunk(BatchChunkSize))
        {
            await WriteAsync((session, now) =>
            {
                // Reading each key's state right before its write keeps a batch that names a
                // key twice consistent: the second write sees the first.
                foreach (var write in chunk)
                {
                    Apply(session, write, session.ReadState(write.Key), now);
                }

                return true;
            }, cancellationToken);
        }
    }

    private static void Apply(SqliteWriteSession session, TableWrite write, KeyState state, DateTimeOffset now)
    {
        switch (write)
        {
            case TableWrite.Put put:
                session.Put(put.Item, state, now);
                break;
            case TableWrite.Delete when state.Current is not null:
                session.Delete(state, now);
                break;
            default:
                // A delete of a missing item and a condition check write nothing.
                break;
        }
    }

    private async Task<List<Item>> ReadScanPageAsync(string prefix, ItemKey? after, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        SqliteQuery.PrepareScanPage(command, prefix, after, ScanPageSize);
        var page = new List<Item>(ScanPageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(ItemRows.Read(reader)!);
        }

        return page;
    }
}
