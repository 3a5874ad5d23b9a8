namespace TattooDirectory.Core.Storage;

/// <summary>Every key format of the single table in one place (architecture.md "Single-table design").</summary>
public static class Keys
{
    public const string Profile = "PROFILE";
    public const string ArtistPrefix = "ARTIST#";
    public const string StudioPrefix = "STUDIO#";
    public const string StylePrefix = "STYLE#";
    public const string ImagePrefix = "IMAGE#";
    public const string SyncDeadLetterPk = "SYNC#DEADLETTER";
    public const string OutboxPrefix = "OUTBOX#";
    public const string DenyPrefix = "DENY#";
    public const string RemovalPrefix = "REMOVAL#";
    public const string AuditPrefix = "AUDIT#";
    public const string SchedulePrefix = "SCHEDULE#";
    public const string RunPrefix = "RUN#";
    public const string AlarmPrefix = "ALARM#";

    public static string ArtistPk(string artistId) => ArtistPrefix + artistId;
    public static ItemKey ArtistProfile(string artistId) => new(ArtistPk(artistId), Profile);
    public static ItemKey ArtistStyle(string artistId, string styleId) => new(ArtistPk(artistId), StylePrefix + styleId);
    public static ItemKey ArtistImage(string artistId, string imageId) => new(ArtistPk(artistId), ImagePrefix + imageId);

    public static string StudioPk(string studioId) => StudioPrefix + studioId;
    public static ItemKey StudioProfile(string studioId) => new(StudioPk(studioId), Profile);
    public static ItemKey StudioMember(string studioId, string artistId) => new(StudioPk(studioId), ArtistPrefix + artistId);

    /// <summary>GSI1: artists by style, ordered by geohash so a prefix selects an area.</summary>
    public static IndexKey StyleGeo(string styleId, string geohash, string artistId) => new(StylePrefix + styleId, $"GEO#{geohash}#ARTIST#{artistId}");

    /// <summary>GSI2: artists by normalised name.</summary>
    public static IndexKey ArtistName(string normalisedName, string artistId) => new("NAME#" + normalisedName, ArtistPk(artistId));

    /// <summary>GSI3: artists by Instagram handle.</summary>
    public static IndexKey Instagram(string handle) => new("INSTAGRAM#" + handle.ToLowerInvariant(), Profile);

    /// <summary>GSI4: studios by city, ordered by name.</summary>
    public static IndexKey StudioCity(string city, string studioName) => new("CITY#" + city.ToLowerInvariant(), StudioPrefix + studioName.ToLowerInvariant());

    /// <summary>A notification waiting to be handed to its topic (the transactional outbox).</summary>
    public static ItemKey OutboxMessage(string messageId) => new(OutboxPrefix + messageId, "MESSAGE");

    /// <summary>
    /// One permanent denylist entry: a keyed hash of an identity, never the identity itself. A
    /// logical partition of its own so the AWS adapter can route it to the denylist table.
    /// </summary>
    public static ItemKey Denied(string identityHash) => new(DenyPrefix + identityHash, "DENY");

    public static ItemKey RemovalRequest(string requestId) => new(RemovalPrefix + requestId, "REQUEST");

    /// <summary>GSI4: removal requests by status, oldest first.</summary>
    public static IndexKey RemovalsByStatus(string status, DateTimeOffset createdAt, string requestId) =>
        new("REMOVALS#" + status, $"{createdAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}#{requestId}");

    /// <summary>The append-only, hash-chained audit trail of one removal request, one item per entry.</summary>
    public static ItemKey AuditEntry(string requestId, int sequence) => new(AuditPrefix + requestId, $"ENTRY#{sequence:D6}");

    public static string AuditPk(string requestId) => AuditPrefix + requestId;

    /// <summary>The runtime state of one scheduler rule: the operator's enabled flag, the last fire, the next due time.</summary>
    /// <summary>An aggregation run's summary (architecture.md); its candidates and job outcomes share the partition.</summary>
    public static ItemKey RunSummary(string runId) => new(RunPrefix + runId, "SUMMARY");

    public static string RunPk(string runId) => RunPrefix + runId;

    /// <summary>An artist page FindArtists found for the run, waiting for QueueScraping.</summary>
    public static ItemKey RunCandidate(string runId, string studioId, string urlHash) => new(RunPrefix + runId, $"CANDIDATE#{studioId}#{urlHash}");

    /// <summary>What one scrape job of the run ended as (written once per job, idempotently).</summary>
    public static ItemKey RunJob(string runId, string scrapeId) => new(RunPrefix + runId, "JOB#" + scrapeId);

    public static ItemKey Schedule(string ruleName) => new(SchedulePrefix + ruleName, "STATE");

    /// <summary>The persisted state of one alarm rule (ok or alarm, since when), so a restart neither re-fires nor forgets it.</summary>
    public static ItemKey Alarm(string alarmName) => new(AlarmPrefix + alarmName, "STATE");

    /// <summary>The artist id of an artist partition key, or null for any other partition.</summary>
    public static string? ArtistIdOf(string pk) => pk.StartsWith(ArtistPrefix, StringComparison.Ordinal) ? pk[ArtistPrefix.Length..] : null;
}
