using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Features.Removal;

public enum DecisionKind
{
    Approve,
    Reject,
}

/// <summary>One request as an operator reviews it: the request, the profile it points at now, and its verified audit trail.</summary>
public sealed record RemovalCase(RemovalRequest Request, ArtistProfile? Profile, IReadOnlyList<AuditEntry> Audit, bool AuditVerified);

/// <summary>
/// What the operator's API and pages share: reading a request for review and deciding it. A
/// decision is taken the same way from either, so a note is cleaned and checked once and every
/// approval that starts a purge signals the purge worker.
/// </summary>
public sealed class RemovalReview(RemovalDesk desk, ArtistCatalog catalog, ITable table, PurgeQueue purges)
{
    public const int MaxNote = 1_000;

    public async Task<RemovalCase?> GetAsync(string requestId, CancellationToken cancellationToken = default) =>
        await desk.GetAsync(requestId, cancellationToken) is { } request ? await CaseOfAsync(request, cancellationToken) : null;

    public async Task<RemovalCase> CaseOfAsync(RemovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await AuditTrail.ReadAsync(table, request.RequestId, cancellationToken);
        return new RemovalCase(request, await ProfileAsync(request, cancellationToken), audit, AuditTrail.Verify(audit, request.AuditHead));
    }

    /// <summary>A note as it is kept: trimmed, blank meaning none.</summary>
    public static string? CleanNote(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.ReplaceLineEndings("\n").Trim();

    /// <summary>Why the (cleaned) note cannot be kept, or null when it can.</summary>
    public static string? NoteError(string? note) => note is { Length: > MaxNote } ? $"The note can be at most {MaxNote:N0} characters." : null;

    /// <summary>Approves or rejects with a note already cleaned and checked; an approval that starts a purge wakes the purge worker.</summary>
    public async Task<RemovalDecision> DecideAsync(string requestId, DecisionKind kind, string? note, CancellationToken cancellationToken = default)
    {
        var decision = kind == DecisionKind.Approve
            ? await desk.ApproveAsync(requestId, note, cancellationToken)
            : await desk.RejectAsync(requestId, note, cancellationToken);
        if (decision is { Outcome: DecisionOutcome.Done, Request.Status: RemovalStatus.Approved }) purges.Enqueue(requestId);
        return decision;
    }

    /// <summary>
    /// The profile the request points at as it is now: the one matched at submission (or fixed as
    /// the purge target) while it exists; for a pending request whose match is gone or never was,
    /// whatever the supplied details match now, which is the profile an approval would act on.
    /// </summary>
    private async Task<ArtistProfile?> ProfileAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var id = request.MatchedArtistId ?? request.Purge?.Target.ArtistId;
        if (id is not null && await catalog.GetArtistAsync(id, cancellationToken) is { } profile) return profile;
        if (request.Status != RemovalStatus.Pending || request.Subject is not { } subject) return null;
        return await desk.MatchAsync(subject, cancellationToken) is { } matched ? await catalog.GetArtistAsync(matched, cancellationToken) : null;
    }
}
