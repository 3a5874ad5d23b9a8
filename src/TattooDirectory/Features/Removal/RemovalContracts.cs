using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;

namespace TattooDirectory.Features.Removal;

/// <summary>202 to a submission: the id to quote, and where the request stands.</summary>
public sealed record RemovalAcceptedDto(string RequestId, string Status);

/// <summary>The body of approve and reject.</summary>
public sealed record DecisionBody(string? Note);

public sealed record RemovalSummaryDto(string RequestId, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, DateTimeOffset? ClosedAt, string? MatchedArtistId, string? PurgeStep)
{
    public static RemovalSummaryDto From(RemovalRequest r) => new(
        r.RequestId, RemovalNames.Of(r.Type), RemovalNames.Of(r.Status), r.CreatedAt, r.DecidedAt, r.ClosedAt, r.MatchedArtistId,
        r.Purge is null ? null : StepName(r.Purge.Step));

    public static string StepName(PurgeStep step) => step.ToString().ToLowerInvariant();
}

public sealed record RemovalListDto(IReadOnlyList<RemovalSummaryDto> Items, string? NextCursor);

/// <summary>What the requester supplied (null once the contact data was deleted).</summary>
public sealed record SuppliedDto(string FullName, string Email, string? Details, string? ArtistId, string? InstagramHandle, string? ProfileUrl, IReadOnlyList<string> ImageIds);

public sealed record StudioRefDto(string StudioId, string? Name);

/// <summary>The matched profile as it is now, beside what was supplied, so the operator can compare.</summary>
public sealed record MatchedProfileDto(string ArtistId, string Name, string? InstagramHandle, StudioRefDto? Studio, string City, int ImageCount)
{
    public static MatchedProfileDto From(ArtistProfile p) => new(
        p.Artist.ArtistId, p.Artist.Name, p.Artist.InstagramHandle,
        p.Artist.StudioId is null ? null : new StudioRefDto(p.Artist.StudioId, p.Studio?.Name),
        p.Artist.City, p.Images.Count);
}

/// <summary>Purge progress: the identity hashes are counted, never shown.</summary>
public sealed record PurgeDto(string Step, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, string? ArtistId, string? StudioId, IReadOnlyList<string> ImageIds, int IdentityCount)
{
    public static PurgeDto From(PurgeProgress p) =>
        new(RemovalSummaryDto.StepName(p.Step), p.StartedAt, p.CompletedAt, p.Target.ArtistId, p.Target.StudioId, p.Target.ImageIds, p.Target.IdentityHashes.Count);
}

public sealed record RemovalDetailDto(
    string RequestId,
    string Type,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ClosedAt,
    string? Note,
    SuppliedDto? Supplied,
    string? MatchedArtistId,
    MatchedProfileDto? MatchedProfile,
    PurgeDto? Purge,
    IReadOnlyList<AuditEntry> Audit,
    bool AuditVerifies)
{
    public static RemovalDetailDto From(RemovalCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return From(c.Request, c.Profile, c.Audit, c.AuditVerified);
    }

    private static RemovalDetailDto From(RemovalRequest r, ArtistProfile? matched, IReadOnlyList<AuditEntry> audit, bool verified) => new(
        r.RequestId, RemovalNames.Of(r.Type), RemovalNames.Of(r.Status), r.CreatedAt, r.DecidedAt, r.ClosedAt, r.Note,
        r.Requester is { } who && r.Subject is { } what
            ? new SuppliedDto(who.FullName, who.Email, who.Details, what.ArtistId, what.InstagramHandle, what.ProfileUrl, what.ImageIds)
            : null,
        r.MatchedArtistId,
        matched is null ? null : MatchedProfileDto.From(matched),
        r.Purge is null ? null : PurgeDto.From(r.Purge),
        audit,
        verified);
}

/// <summary>One place a removed identity or image still shows; the matched value itself is never given.</summary>
public sealed record RemovalTraceDto(string Location, string Key, string MatchedBy);

/// <summary>What the in-process twin of <c>audit-removal</c> found for a request.</summary>
public sealed record RemovalAuditDto(string RequestId, string Status, bool Clean, IReadOnlyList<RemovalTraceDto> Traces, IReadOnlyList<string> Notes)
{
    public static RemovalAuditDto From(RemovalAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return new(audit.RequestId, RemovalNames.Of(audit.Status), audit.Clean,
            [.. audit.Traces.Select(t => new RemovalTraceDto(t.Location.ToString().ToLowerInvariant(), t.Key, t.MatchedBy))], audit.Notes);
    }
}

/// <summary>Bodies read by hand (after auth, under a size cap), so their JSON contract is source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RemovalForm))]
[JsonSerializable(typeof(DecisionBody))]
internal sealed partial class RemovalApiJson : JsonSerializerContext;
