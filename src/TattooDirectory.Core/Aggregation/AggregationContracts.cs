using System.Security.Cryptography;
using System.Text;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Core.Aggregation;

/// <summary>A studio as a discovery source reported it (OpenStreetMap, Google Places, a static list).</summary>
public sealed record DiscoveredStudio(
    string StudioId, string Name, Uri? Website, string City, string? Address, string? Postcode, GeoPoint? Geo, string Source);

/// <summary>An artist page found on a studio's site during a run; QueueScraping turns each into a job.</summary>
public sealed record ArtistCandidate(string RunId, string StudioId, Uri ProfileUrl, string? NameHint, string? InstagramHandle);

/// <summary>
/// One message on the scrape queue. <see cref="ScrapeId"/> is fixed per run and page, so a
/// redelivered job in the same run is recognised and changes nothing (product.md §7).
/// </summary>
public sealed record ScrapeJob(string ScrapeId, string RunId, string StudioId, Uri ProfileUrl, string? NameHint, string? InstagramHandle);

/// <summary>How a scrape job ended, recorded under the run for its report.</summary>
public enum ScrapeOutcomeKind
{
    New,
    Updated,
    Unchanged,
    SkippedDenied,
    SkippedRobots,
    Failed,
}

public sealed record ScrapeOutcome(string ScrapeId, ScrapeOutcomeKind Kind, string? ArtistId, string? Reason, DateTimeOffset At);

/// <summary>The names, settings and stable ids the aggregation pieces agree on.</summary>
public static class AggregationNames
{
    /// <summary>The state machine name of the aggregation workflow (its ASL file is Features/Aggregation/aggregation.asl.json).</summary>
    public const string StateMachine = "aggregation";

    public const string ScrapeQueue = "scrape";

    /// <summary>product.md §7: visibility 300 s, retention 14 days, DLQ after 3 receives.</summary>
    public static QueueSettings ScrapeQueueSettings { get; } = new()
    {
        VisibilityTimeout = TimeSpan.FromSeconds(300),
        MaxReceiveCount = 3,
        Retention = TimeSpan.FromDays(14),
    };

    /// <summary>The artist id a profile page maps to: the same page always yields the same artist.</summary>
    public static string ArtistIdFor(Uri profileUrl) => "artist-" + ShortHash(Canonical(profileUrl));

    /// <summary>The studio id a website (or, without one, a source's own id) maps to.</summary>
    public static string StudioIdFor(string stableSourceKey) => "studio-" + ShortHash(stableSourceKey.Trim().ToLowerInvariant());

    public static string ScrapeIdFor(string runId, Uri profileUrl) => $"{runId}-{ShortHash(Canonical(profileUrl))}";

    public static string UrlHash(Uri url) => ShortHash(Canonical(url));

    /// <summary>
    /// Scheme and host lower-cased, default port dropped, no trailing slash. The fragment stays:
    /// on a one-page studio site it is what tells its artists apart (<c>/#ada</c>, <c>/#ben</c>).
    /// </summary>
    public static string Canonical(Uri url) =>
        $"{url.Scheme.ToLowerInvariant()}://{url.IdnHost.ToLowerInvariant()}{(url.IsDefaultPort ? "" : ":" + url.Port)}{url.AbsolutePath.TrimEnd('/')}{url.Query}{url.Fragment}";

    private static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
