namespace TattooDirectory.Core.Storage;

/// <summary>The primary key of an item: partition key and sort key, as in DynamoDB.</summary>
public readonly record struct ItemKey(string Pk, string Sk)
{
    public override string ToString() => $"{Pk}|{Sk}";
}

/// <summary>The global secondary indexes of the single table (architecture.md "Single-table design").</summary>
public enum TableIndex
{
    Gsi1 = 1,
    Gsi2 = 2,
    Gsi3 = 3,
    Gsi4 = 4,
}

/// <summary>The key an item has in one secondary index.</summary>
public readonly record struct IndexKey(string Pk, string Sk);

/// <summary>
/// One item of the single table. <see cref="Data"/> is the entity as JSON; the store never
/// looks inside it. <see cref="Version"/> and <see cref="UpdatedAt"/> are set by the store on
/// every write (the value passed in is ignored): versions start at 1, grow by one per write and
/// keep growing across a delete and re-create of the same key, so an older image can always be
/// told from a newer one.
/// </summary>
public sealed record Item
{
    public required string Pk { get; init; }
    public required string Sk { get; init; }
    public required string Data { get; init; }
    public IndexKey? Gsi1 { get; init; }
    public IndexKey? Gsi2 { get; init; }
    public IndexKey? Gsi3 { get; init; }
    public IndexKey? Gsi4 { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public ItemKey Key => new(Pk, Sk);

    public IndexKey? KeyFor(TableIndex index) => index switch
    {
        TableIndex.Gsi1 => Gsi1,
        TableIndex.Gsi2 => Gsi2,
        TableIndex.Gsi3 => Gsi3,
        TableIndex.Gsi4 => Gsi4,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}

/// <summary>A condition on the current state of one item, checked atomically with a write.</summary>
public abstract record WriteCondition
{
    private WriteCondition() { }

    /// <summary>The item must not exist (attribute_not_exists(PK)).</summary>
    public static WriteCondition NotExists { get; } = new NotExistsCondition();

    /// <summary>The item must exist.</summary>
    public static WriteCondition Exists { get; } = new ExistsCondition();

    /// <summary>The item must exist with exactly this version (optimistic concurrency).</summary>
    public static WriteCondition VersionEquals(long version) => new VersionEqualsCondition(version);

    public sealed record NotExistsCondition : WriteCondition;
    public sealed record ExistsCondition : WriteCondition;
    public sealed record VersionEqualsCondition(long Version) : WriteCondition;
}

/// <summary>One write inside a transaction.</summary>
public abstract record TableWrite(ItemKey Key, WriteCondition? Condition)
{
    public sealed record Put(Item Item, WriteCondition? Condition = null) : TableWrite(Item.Key, Condition);
    public sealed record Delete(ItemKey Key, WriteCondition? Condition = null) : TableWrite(Key, Condition);
    /// <summary>Checks a condition without writing (ConditionCheck in TransactWriteItems).</summary>
    public sealed record Check(ItemKey Key, WriteCondition Condition) : TableWrite(Key, Condition);
}

/// <summary>
/// A query: one partition of the table or of a secondary index, optionally narrowed by a sort
/// key prefix or an inclusive range. Results are ordered by sort key (then primary key for
/// indexes); <see cref="Cursor"/> continues where the previous page stopped.
/// </summary>
public sealed record TableQuery(string PartitionKey)
{
    public TableIndex? Index { get; init; }
    public string? SortKeyPrefix { get; init; }
    public string? SortKeyFrom { get; init; }
    public string? SortKeyTo { get; init; }
    public bool Descending { get; init; }
    public int Limit { get; init; } = 100;
    public string? Cursor { get; init; }
}

public sealed record QueryPage(IReadOnlyList<Item> Items, string? NextCursor);

/// <summary>
/// The single-table store (DynamoDB-shaped). Every successful write is durable when the call
/// returns and appears in the change stream in the same commit.
/// </summary>
public interface ITable
{
    Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default);

    Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an item; returns it as stored (with its new version).</summary>
    /// <exception cref="ConditionalCheckFailedException">the condition did not hold.</exception>
    Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an item; returns false when there was nothing to delete.</summary>
    /// <exception cref="ConditionalCheckFailedException">the condition did not hold.</exception>
    Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default);

    /// <summary>All or nothing: up to <see cref="MaxTransactionItems"/> writes on distinct keys.</summary>
    /// <exception cref="TransactionCanceledException">a condition did not hold; nothing was written.</exception>
    Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bulk writes (BatchWriteItem): each put or delete is applied on its own, without conditions
    /// (a write with a condition is rejected with ArgumentException) and without the 100-item
    /// limit; the adapter chunks as its service needs. Used by seeding and bulk loads.
    /// </summary>
    Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Every item whose partition key starts with the prefix, in key order (a paged Scan).</summary>
    IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, CancellationToken cancellationToken = default);

    public const int MaxTransactionItems = 100;
}

public sealed class ConditionalCheckFailedException(ItemKey key)
    : Exception($"The conditional request failed for {key}.")
{
    public ItemKey Key { get; } = key;
}

/// <summary>A transaction was rejected; <see cref="Reasons"/> has one entry per write (null where it was fine).</summary>
public sealed class TransactionCanceledException(IReadOnlyList<string?> reasons)
    : Exception($"Transaction cancelled: [{string.Join(", ", reasons.Select(r => r ?? "None"))}]")
{
    public IReadOnlyList<string?> Reasons { get; } = reasons;
}
