namespace TattooDirectory.Core.Storage;

public enum ChangeKind
{
    Insert,
    Modify,
    Remove,
}

/// <summary>
/// One committed change with both images (NEW_AND_OLD_IMAGES). Sequence numbers are unique and
/// increase in commit order, so they order changes per item and overall.
/// </summary>
public sealed record ChangeRecord(long Sequence, ChangeKind Kind, ItemKey Key, Item? OldImage, Item? NewImage, DateTimeOffset CommittedAt);

/// <summary>
/// The store's change stream (DynamoDB Streams-shaped): every committed write, in order, kept
/// for at least 24 hours, with named consumer checkpoints.
/// </summary>
public interface IChangeStream
{
    /// <summary>Up to <paramref name="maxRecords"/> records with a sequence greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<ChangeRecord>> ReadAsync(long afterSequence, int maxRecords, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns as soon as a record after <paramref name="afterSequence"/> may exist, or when the
    /// timeout passes. Lets a consumer react to a commit in milliseconds without busy polling.
    /// </summary>
    Task WaitForChangesAsync(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The sequence of the newest committed record (0 when empty).</summary>
    Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>The last sequence the consumer finished (0 when it never checkpointed).</summary>
    Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default);

    Task SaveCheckpointAsync(string consumer, long sequence, CancellationToken cancellationToken = default);
}
