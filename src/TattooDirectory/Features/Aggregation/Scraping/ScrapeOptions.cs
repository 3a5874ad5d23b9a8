using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>How the scrape workers behave, bound from <c>Aggregation:Scrape</c>.</summary>
public sealed class ScrapeOptions
{
    public const string Section = "Aggregation:Scrape";

    /// <summary>
    /// Whether this process consumes the scrape queue. Off for a process that only serves the
    /// site and API while other processes (or Lambda on AWS) do the scraping.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Jobs worked on at once by this process; each holds at most one page or image fetch at a time.
    /// Most of a job is waiting for its turn at a host (1 request a second per site by default),
    /// so throughput comes from working on many sites at once: an artist is ~7 requests, and 10
    /// artists a second needs about 70 sites in progress. Memory per job is one body at a time.
    /// </summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>Portfolio images taken from one artist page; the rest are ignored.</summary>
    public int MaxImages { get; set; } = 12;

    /// <summary>
    /// Images declaring more pixels than this are refused from their header, before any decoding:
    /// a few hundred kilobytes of PNG can otherwise ask for gigabytes of pixels.
    /// </summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Longest side of the stored full-size WebP.</summary>
    public int FullSize { get; set; } = 1200;

    /// <summary>Longest side of the stored thumbnail WebP.</summary>
    public int ThumbnailSize { get; set; } = 400;

    /// <summary>WebP quality (1–100) of both sizes.</summary>
    public int WebpQuality { get; set; } = 80;

    /// <summary>
    /// libvips' WebP encoder effort (0–6). 2 encodes a 1080² portfolio image in about half the
    /// time of libvips' default 4 for files about 5 % larger; encoding is most of a scrape's CPU.
    /// </summary>
    public int WebpEffort { get; set; } = 2;

    /// <summary>
    /// How long one job may work before it is cancelled and left for redelivery (the last delivery
    /// records it as Failed and its message goes to the DLQ). A host that never answers, or a wait
    /// that never ends, then costs a worker slot for this long, not for ever. The default leaves room
    /// for a slow but honest job: a page and 13 images at a 30 s Crawl-delay take 7 minutes. Its message's
    /// visibility is extended only this long too, so even a job that ignores cancellation is
    /// delivered again.
    /// </summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a job that failed in a way worth retrying (a 5xx, a timeout) waits before its next
    /// delivery; four times longer after the second. Capped at the queue's visibility timeout.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one receive waits for a message (SQS long poll, at most 20 s).</summary>
    public TimeSpan ReceiveWait { get; set; } = TimeSpan.FromSeconds(20);
}

internal sealed class ScrapeOptionsValidator : IValidateOptions<ScrapeOptions>
{
    public ValidateOptionsResult Validate(string? name, ScrapeOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string setting, string rule)
        {
            if (!ok) failures.Add($"{ScrapeOptions.Section}:{setting} {rule}");
        }

        Check(options.Concurrency is >= 1 and <= 256, nameof(ScrapeOptions.Concurrency), "must be from 1 to 256.");
        Check(options.MaxImages is >= 0 and <= 30, nameof(ScrapeOptions.MaxImages), "must be from 0 to 30 (the catalog keeps at most 30 images per artist).");
        Check(options.MaxPixels >= 1_000_000, nameof(ScrapeOptions.MaxPixels), "must be at least 1,000,000.");
        Check(options.FullSize is >= 64 and <= 4096, nameof(ScrapeOptions.FullSize), "must be from 64 to 4096.");
        Check(options.ThumbnailSize >= 32 && options.ThumbnailSize <= options.FullSize, nameof(ScrapeOptions.ThumbnailSize), "must be from 32 to FullSize.");
        Check(options.WebpQuality is >= 1 and <= 100, nameof(ScrapeOptions.WebpQuality), "must be from 1 to 100.");
        Check(options.WebpEffort is >= 0 and <= 6, nameof(ScrapeOptions.WebpEffort), "must be from 0 to 6.");
        Check(options.JobTimeout >= TimeSpan.FromSeconds(1) && options.JobTimeout <= TimeSpan.FromHours(1), nameof(ScrapeOptions.JobTimeout), "must be from 1 second to 1 hour.");
        Check(options.RetryDelay >= TimeSpan.Zero && options.RetryDelay <= TimeSpan.FromMinutes(5), nameof(ScrapeOptions.RetryDelay), "must be from 0 to 5 minutes.");
        Check(options.ReceiveWait >= TimeSpan.Zero && options.ReceiveWait <= TimeSpan.FromSeconds(20), nameof(ScrapeOptions.ReceiveWait), "must be from 0 to 20 seconds.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
