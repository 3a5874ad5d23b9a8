using System.Text.Json.Serialization;

namespace TattooDirectory.Core.Removal;

/// <summary>What a requester asks for (product.md §4 <c>requestType</c>).</summary>
public enum RemovalRequestType
{
    ProfileRemoval,
    ImageRemoval,
    IncorrectInfo,
    Copyright,
}

/// <summary>
/// Where a request is: waiting for an operator, approved (its purge is running), completed, or
/// rejected. Approved is a working state; Completed and Rejected close the request.
/// </summary>
public enum RemovalStatus
{
    Pending,
    Approved,
    Completed,
    Rejected,
}

/// <summary>The wire names of the enums (kebab-case request types, lower-case statuses) in one place.</summary>
public static class RemovalNames
{
    private static readonly Dictionary<RemovalRequestType, string> TypeNames = new()
    {
        [RemovalRequestType.ProfileRemoval] = "profile-removal",
        [RemovalRequestType.ImageRemoval] = "image-removal",
        [RemovalRequestType.IncorrectInfo] = "incorrect-info",
        [RemovalRequestType.Copyright] = "copyright",
    };

    public static IReadOnlyCollection<string> Types => TypeNames.Values;

    public static IReadOnlyList<string> Statuses { get; } = [.. Enum.GetValues<RemovalStatus>().Select(Of)];

    public static string Of(RemovalRequestType type) => TypeNames[type];

    public static string Of(RemovalStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseType(string? value, out RemovalRequestType type)
    {
        foreach (var (key, name) in TypeNames)
        {
            if (string.Equals(name, value, StringComparison.Ordinal))
            {
                type = key;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static bool TryParseStatus(string? value, out RemovalStatus status)
    {
        foreach (var candidate in Enum.GetValues<RemovalStatus>())
        {
            if (string.Equals(Of(candidate), value, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}

/// <summary>The requester's contact data: deleted 30 days after the request closes.</summary>
public sealed record RequesterContact(string FullName, string Email, string? Details);

/// <summary>How the requester identified the artist and images, as supplied (deleted with the contact data).</summary>
public sealed record RemovalSubject(string? ArtistId, string? InstagramHandle, string? ProfileUrl, IReadOnlyList<string> ImageIds);

/// <summary>
/// The steps of a purge, in order. The request records the last step that finished, so a purge
/// interrupted by a crash resumes at the next one; every step is idempotent.
/// </summary>
public enum PurgeStep
{
    /// <summary>Approved; nothing done yet.</summary>
    Started,
    /// <summary>The identity's keyed hashes are in the denylist (profile removals only).</summary>
    Denylisted,
    /// <summary>Profile, styles, images and studio membership (or only the named images) left the store.</summary>
    StoreCleared,
    /// <summary>The image files left the blob store.</summary>
    BlobsDeleted,
    /// <summary>The search index no longer has the document (or has the version without the images).</summary>
    IndexCleared,
    /// <summary>Cached responses for the artist and their studio were invalidated.</summary>
    CachesInvalidated,
    /// <summary>The confirmation went to the outbox in the same transaction that completed the request.</summary>
    Confirmed,
}

/// <summary>
/// What a purge acts on, fixed at approval so it can finish after the profile is gone.
/// <see cref="IdentityHashes"/> are the denylist keys (never plaintext; empty for an image
/// removal). <see cref="BlobKeys"/> are the files of the named images (image removals; a profile
/// removal deletes everything under the artist's blob prefix). Everything but the hashes is
/// cleared with the contact data.
/// </summary>
public sealed record PurgeTarget(string? ArtistId, string? StudioId, IReadOnlyList<string> ImageIds, IReadOnlyList<string> BlobKeys, IReadOnlyList<string> IdentityHashes);

public sealed record PurgeProgress(PurgeStep Step, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, PurgeTarget Target)
{
    /// <summary>
    /// The index version that shows the store change, recorded by the step that made it: the
    /// profile's tombstone (pinned when denylisted) or the profile rewritten without the images.
    /// Null when there was no profile, so the index must simply hold no live document.
    /// </summary>
    public long? IndexVersion { get; init; }
}

/// <summary>
/// One removal request as stored (item <c>REMOVAL#{id}</c>/<c>REQUEST</c>, GSI4 by status).
/// <see cref="Version"/> is the item's version, used to make every transition conditional.
/// </summary>
public sealed record RemovalRequest
{
    public required string RequestId { get; init; }
    public required RemovalRequestType Type { get; init; }
    public required RemovalStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Null once the contact data was deleted (30 days after closing).</summary>
    public RequesterContact? Requester { get; init; }

    /// <summary>Null once the contact data was deleted.</summary>
    public RemovalSubject? Subject { get; init; }

    public DateTimeOffset? ContactDeletedAt { get; init; }

    /// <summary>The profile the submission matched when it arrived, if any.</summary>
    public string? MatchedArtistId { get; init; }

    /// <summary>The operator's note on approval or rejection.</summary>
    public string? Note { get; init; }

    public PurgeProgress? Purge { get; init; }

    /// <summary>The highest SLA alarm already raised for this request (0 none, 1 warning, 2 critical), so each fires once.</summary>
    public int SlaAlertLevel { get; init; }

    /// <summary>Whether the "purge not finished within a minute" alarm was raised.</summary>
    public bool PurgeOverdueAlerted { get; init; }

    /// <summary>How many audit entries the request has; the next one gets this number plus one.</summary>
    public int AuditLength { get; init; }

    /// <summary>The hash of the newest audit entry, which the next entry chains to.</summary>
    public string? AuditHead { get; init; }

    [JsonIgnore]
    public long Version { get; init; }

    public bool IsClosed => Status is RemovalStatus.Completed or RemovalStatus.Rejected;
}
