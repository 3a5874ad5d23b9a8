using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// One scrape message's job, the step both consumers share: the container worker
/// (<see cref="ScrapeConsumer"/>, which then deletes the message or backs it off) and, on AWS,
/// the scrape-handler Lambda function's SQS batch handler (which reports the unsettled messages
/// in <c>batchItemFailures</c>, and SQS brings them back after their visibility timeout).
/// </summary>
internal sealed partial class ScrapeJobStep(ArtistScraper scraper, ILogger<ScrapeJobStep> logger) : IQueueMessageProcessor
{
    /// <summary>
    /// True when the message is settled (delete it), false when it is worth another delivery. Only
    /// cancellation by <paramref name="cancellationToken"/> throws: any other failure is logged and
    /// leaves the message for another delivery.
    /// </summary>
    public async Task<bool> ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Outside the try, so a failed job's line carries the job's trace id too.
        using var activity = Telemetry.Source.StartActivity("scrape.job");
        try
        {
            return await WorkAsync(message, activity, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogJobFailed(logger, message.MessageId, ex.GetType().Name);
            return false;
        }
    }

    private async Task<bool> WorkAsync(QueueMessage message, System.Diagnostics.Activity? activity, CancellationToken ct)
    {
        if (ScrapeItems.ParseJob(message.Body) is not { } job)
        {
            // Nothing to record it under: it reaches the DLQ after its last delivery.
            LogPoison(logger, message.MessageId);
            return false;
        }

        activity?.SetTag("scrape.id", job.ScrapeId);
        var result = await scraper.ScrapeAsync(job, message.ReceiveCount >= AggregationNames.ScrapeQueueSettings.MaxReceiveCount, ct);
        activity?.SetTag("scrape.outcome", result.Outcome?.Kind.ToString() ?? (result.Delete ? "settled" : "retry"));
        return result.Delete;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape message {MessageId} is not a scrape job; it goes to the DLQ after its last delivery")]
    private static partial void LogPoison(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape message {MessageId} failed ({Error}); left for another delivery")]
    private static partial void LogJobFailed(ILogger logger, string messageId, string error);
}
