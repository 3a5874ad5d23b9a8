using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>
/// The port's argument rules, checked before a request is sent, so callers get the same
/// ArgumentException from every adapter instead of a service ValidationException.
/// </summary>
internal static class TableArguments
{
    public const int MaxQueryLimit = 1000;

    public static void Key(ItemKey key)
    {
        if (string.IsNullOrEmpty(key.Pk) || string.IsNullOrEmpty(key.Sk))
        {
            throw new ArgumentException("Partition and sort keys must not be empty.", nameof(key));
        }
    }

    public static void Item(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Key(item.Key);
        ArgumentNullException.ThrowIfNull(item.Data, nameof(item));
        foreach (var index in ItemAttributes.Indexes)
        {
            if (item.KeyFor(index) is not { } key)
            {
                continue;
            }

            // The separator of the stored index sort key may not appear in the logical one.
            if (string.IsNullOrEmpty(key.Pk) || string.IsNullOrEmpty(key.Sk) || key.Sk.Contains(ItemAttributes.Separator, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{index} key of {item.Key} is empty or holds a NUL character.", nameof(item));
            }
        }
    }

    public static void Transaction(IReadOnlyList<TableWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count is 0 or > ITable.MaxTransactionItems)
        {
            throw new ArgumentException($"A transaction has 1 to {ITable.MaxTransactionItems} writes, not {writes.Count}.", nameof(writes));
        }

        var keys = new HashSet<ItemKey>();
        foreach (var write in writes)
        {
            Write(write);
            if (!keys.Add(write.Key))
            {
                throw new ArgumentException($"A transaction writes each key once; {write.Key} appears twice.", nameof(writes));
            }
        }
    }

    public static void Batch(IReadOnlyList<TableWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            Write(write);
            if (write is TableWrite.Check || write.Condition is not null)
            {
                throw new ArgumentException($"A batch write takes unconditional puts and deletes only ({write.Key}).", nameof(writes));
            }
        }
    }

    public static void Query(TableQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.PartitionKey, nameof(query));
        if (query.Limit is < 1 or > MaxQueryLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {MaxQueryLimit}.");
        }

        if (query.Index is { } index && !Enum.IsDefined(index))
        {
            throw new ArgumentOutOfRangeException(nameof(query), index, "Unknown index.");
        }

        if (query.SortKeyPrefix is not null && (query.SortKeyFrom is not null || query.SortKeyTo is not null))
        {
            throw new ArgumentException("A query takes a sort key prefix or a range, not both.", nameof(query));
        }
    }

    private static void Write(TableWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write is TableWrite.Put put)
        {
            Item(put.Item);
        }
        else
        {
            Key(write.Key);
        }
    }
}
