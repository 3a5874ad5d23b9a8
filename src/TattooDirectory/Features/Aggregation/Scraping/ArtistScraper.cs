using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>What to do with a job's message: delete it (the job is settled) or leave it for redelivery.</summary>
internal sealed record JobResult(bool Delete, ScrapeOutcome? Outcome)
{
    /// <summary>A settled outcome was already recorded for this scrape id: a redelivery changes nothing.</summary>
    public static JobResult AlreadySettled { get; } = new(true, null);
}

/// <summary>
/// Scrapes one artist for one job (product.md §7): denylist, fetch, extract, images, denylist
/// again, idempotent upsert, outcome. Everything the queue needs to know comes back as a
/// <see cref="JobResult"/>; only cancellation and a failure to record the outcome throw.
/// </summary>
internal sealed partial class ArtistScraper(
    WebFetcher fetcher,
    ArtistCatalog catalog,
    Denylist denylist,
    ITable table,
    ScrapeImages images,
    IOptions<ScrapeOptions> options,
    DirectoryMetrics metrics,
    TimeProvider time,
    ILogger<ArtistScraper> logger)
{
    private readonly ArtistPageExtractor _extractor = new(options.Value.MaxImages);

    /// <param name="lastAttempt">This delivery is the queue's last: a retryable failure is recorded as Failed, and the message left to go to the DLQ.</param>
    public async Task<JobResult> ScrapeAsync(ScrapeJob job, bool lastAttempt, CancellationToken ct)
    {
        var key = Keys.RunJob(job.RunId, job.ScrapeId);
        var recorded = await table.GetAsync(key, ct);
        // A Failed outcome stays open: a delivery after a DLQ redrive may still succeed and replace it.
        if (recorded is not null && ScrapeItems.ReadOutcome(recorded).Kind != ScrapeOutcomeKind.Failed) return JobResult.AlreadySettled;

        var artistId = AggregationNames.ArtistIdFor(job.ProfileUrl);
        Verdict verdict;
        using var deadline = new CancellationTokenSource(options.Value.JobTimeout, time);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            verdict = await ScrapeArtistAsync(job, artistId, working.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // A host that never answers or a wait that never ends: retried like any transient failure.
            verdict = Verdict.Retry($"timed out after {(long)options.Value.JobTimeout.TotalSeconds} s", "timeout");
        }
        catch (IdentityDeniedException)
        {
            // The denylist guard refused the write: a removal landed while this job was working.
            verdict = Verdict.Settled(ScrapeOutcomeKind.SkippedDenied, "denylisted", "denylisted");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Storage and blob failures are taken as transient: the redelivery decides.
            verdict = Verdict.Retry("storage: " + ex.GetType().Name, "storage");
        }

        if (verdict.Retryable && !lastAttempt)
        {
            LogRetry(logger, job.ScrapeId, verdict.Reason);
            return new JobResult(false, null);
        }

        var kind = verdict.Retryable ? ScrapeOutcomeKind.Failed : verdict.Kind;
        var outcome = new ScrapeOutcome(job.ScrapeId, kind, kind == ScrapeOutcomeKind.SkippedDenied ? null : artistId, verdict.Reason, time.GetUtcNow());
        try
        {
            // Written after the catalog: a crash in between redoes the (idempotent) upsert on redelivery.
            await table.PutAsync(ScrapeItems.OutcomeItem(job.RunId, outcome), recorded is null ? WriteCondition.NotExists : WriteCondition.VersionEquals(recorded.Version), ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another delivery of the same job recorded its outcome first; theirs stands.
        }

        LogOutcome(logger, job.ScrapeId, kind, verdict.Reason);
        metrics.ScrapeOutcomes.Add(1, new KeyValuePair<string, object?>(MetricNames.Outcome, JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString())),
            new KeyValuePair<string, object?>(MetricNames.Reason, verdict.Cause));
        return new JobResult(!verdict.Retryable, outcome);
    }

    private async Task<Verdict> ScrapeArtistAsync(ScrapeJob job, string artistId, CancellationToken ct)
    {
        if (await denylist.AnyDeniedAsync(IdentityHashes(artistId, job.NameHint, job.InstagramHandle, job.StudioId), ct))
        {
            return Verdict.Settled(ScrapeOutcomeKind.SkippedDenied, "denylisted", "denylisted");
        }

        if (await catalog.GetStudioAsync(job.StudioId, ct) is not { } studio) return Verdict.Settled(ScrapeOutcomeKind.Failed, "unknown studio", "unknown_studio");

        ExtractedArtist page;
        if (InstagramLinks.IsInstagram(job.ProfileUrl))
        {
            // Instagram is login-walled: the profile is linked, never scraped (product.md §7).
            page = new ExtractedArtist(job.NameHint, null, null, InstagramLinks.HandleOf(job.ProfileUrl.AbsoluteUri) ?? Handle(job.InstagramHandle), null, []);
        }
        else
        {
            var fetched = await fetcher.GetAsync(job.ProfileUrl, FetchKind.Html, ct);
            if (!fetched.Succeeded)
            {
                var cause = CauseOf(fetched);
                return fetched is { Failure: FetchFailure.DisallowedByRobots, Retryable: false } ? Verdict.Settled(ScrapeOutcomeKind.SkippedRobots, fetched.Reason, cause)
                    : fetched.Retryable ? Verdict.Retry(fetched.Reason, cause)
                    : Verdict.Settled(ScrapeOutcomeKind.Failed, fetched.Reason, cause);
            }

            page = _extractor.Extract(Decode(fetched), fetched.FinalUrl, new ArtistHint(job.NameHint, Handle(job.InstagramHandle)));
        }

        if (page.Name is null) return Verdict.Settled(ScrapeOutcomeKind.Failed, "no artist name", "no_artist_name");
        if (await denylist.AnyDeniedAsync(IdentityHashes(artistId, page.Name, page.InstagramHandle, job.StudioId), ct))
        {
            return Verdict.Settled(ScrapeOutcomeKind.SkippedDenied, "denylisted", "denylisted");
        }

        var portfolio = await images.StoreAsync(artistId, page, ct);
        var previous = await catalog.GetArtistAsync(artistId, ct);
        var artist = new Artist
        {
            ArtistId = artistId,
            Name = page.Name,
            Bio = page.Bio ?? "",
            InstagramHandle = page.InstagramHandle,
            WebsiteUrl = InstagramLinks.IsInstagram(job.ProfileUrl) ? null : (page.Website ?? job.ProfileUrl).AbsoluteUri,
            StudioId = studio.StudioId,
            City = studio.City,
            LocationDisplay = LocationOf(studio),
            Geo = studio.Geo,
            Styles = StyleInference.ForArtist(page.Bio, portfolio.Images.Select(i => i.Style)),
            AvatarKey = portfolio.AvatarKey,
            // What the scrape does not see is kept from the stored profile.
            Rating = previous?.Artist.Rating ?? 0,
            ReviewCount = previous?.Artist.ReviewCount ?? 0,
            OptedOut = previous?.Artist.OptedOut ?? false,
            UpdatedAt = time.GetUtcNow(),
        };

        var note = portfolio.Skipped == 0 ? null : $"{portfolio.Skipped} image(s) skipped: {string.Join(", ", portfolio.SkipReasons)}";
        if (previous is not null && SameProfile(previous, artist, portfolio.Images)) return Verdict.Settled(ScrapeOutcomeKind.Unchanged, note, Verdict.NoCause);

        await catalog.PutArtistAsync(artist, portfolio.Images, ct);
        if (previous is not null) await images.DeleteReplacedAsync(previous, artist, portfolio.Images, ct);
        return Verdict.Settled(previous is null ? ScrapeOutcomeKind.New : ScrapeOutcomeKind.Updated, note, Verdict.NoCause);
    }

    private IEnumerable<string> IdentityHashes(string artistId, string? name, string? handle, string studioId)
    {
        yield return denylist.Hasher.ArtistId(artistId);
        if (Handle(handle) is { } h) yield return denylist.Hasher.Instagram(h);
        if (!string.IsNullOrWhiteSpace(name)) yield return denylist.Hasher.NameAtStudio(name, studioId);
    }

    private static string? Handle(string? handle) =>
        handle?.Trim().TrimStart('@') is { } h && InstagramLinks.IsValidHandle(h) ? h.ToLowerInvariant() : null;

    /// <summary>Same fields and the same images (by content hash, caption, style and order): nothing to write.</summary>
    private static bool SameProfile(ArtistProfile stored, Artist scraped, IReadOnlyList<PortfolioImage> images) =>
        stored.Artist with { UpdatedAt = scraped.UpdatedAt, Styles = scraped.Styles } == scraped
        && stored.Artist.Styles.SequenceEqual(scraped.Styles, StringComparer.Ordinal)
        && stored.Images.OrderBy(i => i.Position).SequenceEqual(images.OrderBy(i => i.Position));

    /// <summary>"Headingley, Leeds" from an address ending in its locality; the city alone otherwise.</summary>
    private static string LocationOf(Studio studio)
    {
        var last = studio.Address.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        var isLocality = last is { Length: > 0 } && !last.Any(char.IsDigit) && !last.Equals(studio.City, StringComparison.OrdinalIgnoreCase);
        return isLocality ? $"{last}, {studio.City}" : studio.City;
    }

    private static string Decode(FetchResult fetched)
    {
        var encoding = Encoding.UTF8;
        if (fetched.Charset is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset label: UTF-8 is what nearly every site means.
            }
        }

        return encoding.GetString(fetched.Body.Span);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scrape job {ScrapeId} left for redelivery: {Reason}")]
    private static partial void LogRetry(ILogger logger, string scrapeId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scrape job {ScrapeId}: {Kind} {Reason}")]
    private static partial void LogOutcome(ILogger logger, string scrapeId, ScrapeOutcomeKind kind, string? reason);

    /// <summary>
    /// A fetch failure as a metric reason: a few dozen values at most ("http_503", "timeout",
    /// "robots"), never a URL or a name, so the outcome counter stays low-cardinality.
    /// </summary>
    private static string CauseOf(FetchResult fetched) => fetched.Failure switch
    {
        FetchFailure.HttpStatus => fetched.Status is { } status ? $"http_{status}" : "http",
        FetchFailure.DisallowedByRobots => "robots",
        { } failure => JsonNamingPolicy.SnakeCaseLower.ConvertName(failure.ToString()),
        null => "unknown",
    };

    /// <summary>
    /// How a job went: settled with an outcome, or worth another delivery. <see cref="Reason"/> is
    /// for the run's record; <see cref="Cause"/> is its short kind for the metrics.
    /// </summary>
    private sealed record Verdict(ScrapeOutcomeKind Kind, bool Retryable, string? Reason, string Cause)
    {
        public const string NoCause = "none";

        public static Verdict Settled(ScrapeOutcomeKind kind, string? reason, string cause) => new(kind, false, reason, cause);

        public static Verdict Retry(string reason, string cause) => new(ScrapeOutcomeKind.Failed, true, reason, cause);
    }
}
