using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>The argument rules of the table port (DynamoDB's), checked before any write starts.</summary>
internal static class TableRules
{
    public const string ConditionalCheckFailed = "ConditionalCheckFailed";

    private static readonly TableIndex[] Indexes = Enum.GetValues<TableIndex>();

    public static void ValidateItem(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ValidateKey(item.Key);
        ArgumentNullException.ThrowIfNull(item.Data, nameof(item));
        foreach (var index in Indexes)
        {
            if (item.KeyFor(index) is { } key && (string.IsNullOrEmpty(key.Pk) || string.IsNullOrEmpty(key.Sk)))
            {
                throw new ArgumentException($"{index} key of {item.Key} has an empty part.", nameof(item));
            }
        }
    }

    public static void ValidateKey(ItemKey key)
    {
        if (string.IsNullOrEmpty(key.Pk) || string.IsNullOrEmpty(key.Sk))
        {
            throw new ArgumentException("Partition and sort keys must not be empty.", nameof(key));
        }
    }

    public static void ValidateTransaction(IReadOnlyList<TableWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count is 0 or > ITable.MaxTransactionItems)
        {
            throw new ArgumentException($"A transaction has 1 to {ITable.MaxTransactionItems} writes, not {writes.Count}.", nameof(writes));
        }

        var keys = new HashSet<ItemKey>();
        foreach (var write in writes)
        {
            ValidateWrite(write);
            if (!keys.Add(write.Key))
            {
                throw new ArgumentException($"A transaction writes each key once; {write.Key} appears twice.", nameof(writes));
            }
        }
    }

    public static void ValidateBatch(IReadOnlyList<TableWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            ValidateWrite(write);
            if (write is TableWrite.Check || write.Condition is not null)
            {
                throw new ArgumentException($"A batch write takes unconditional puts and deletes only ({write.Key}).", nameof(writes));
            }
        }
    }

    public static bool Holds(WriteCondition? condition, Item? current) => condition switch
    {
        null => true,
        WriteCondition.NotExistsCondition => current is null,
        WriteCondition.ExistsCondition => current is not null,
        WriteCondition.VersionEqualsCondition expected => current?.Version == expected.Version,
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown condition."),
    };

    private static void ValidateWrite(TableWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write is TableWrite.Put put)
        {
            ValidateItem(put.Item);
        }
        else
        {
            ValidateKey(write.Key);
        }
    }
}
