using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// Turns the run's candidates into scrape jobs: drops everyone the denylist names (by artist id,
/// Instagram handle, or name at the studio), sends the rest in batches of 10 and marks each
/// candidate as it goes, so a retried step sends only what was not sent. A crash between a send
/// and its mark sends those jobs again with the same scrape id, which the workers recognise.
/// </summary>
internal sealed partial class QueueScrapingTask(IQueues queues, ITable table, Denylist denylist, ILogger<QueueScrapingTask> logger) : IWorkflowTask
{
    public const string TaskName = "QueueScraping";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var queue = queues.Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);
        var denied = await denylist.SnapshotAsync(cancellationToken);
        var candidates = await RunRecords.CandidatesAsync(table, runId, cancellationToken);
        var pending = new List<CandidateRecord>();
        foreach (var record in candidates.Where(c => !c.Queued && !c.Denied))
        {
            if (IsDenied(denied, record.Candidate))
            {
                await table.PutAsync(RunRecords.CandidateItem(record with { Denied = true }), cancellationToken: cancellationToken);
                continue;
            }

            pending.Add(record);
        }

        foreach (var batch in AcrossSites(pending).Chunk(QueueLimits.MaxBatchEntries))
        {
            await SendAsync(queue, batch, cancellationToken);
            await table.BatchWriteAsync([.. batch.Select(r => new TableWrite.Put(RunRecords.CandidateItem(r with { Queued = true })))], cancellationToken);
        }

        var deniedCount = candidates.Count(c => c.Denied) + (candidates.Count(c => !c.Queued && !c.Denied) - pending.Count);
        var queued = candidates.Count(c => c.Queued) + pending.Count;
        LogQueued(logger, runId, pending.Count, queued, deniedCount);
        return new JsonObject { ["scrapeId"] = runId, ["queued"] = queued, ["skipped"] = deniedCount };
    }

    private bool IsDenied(DenylistSnapshot denied, ArtistCandidate candidate)
    {
        if (denied.IsEmpty) return false;
        var hasher = denylist.Hasher;
        return denied.IsArtistIdDenied(AggregationNames.ArtistIdFor(candidate.ProfileUrl))
            || (candidate.InstagramHandle is { Length: > 0 } handle && denied.Contains(hasher.Instagram(handle)))
            || (candidate.NameHint is { Length: > 0 } name && denied.Contains(hasher.NameAtStudio(name, candidate.StudioId)));
    }

    /// <summary>Sends one batch, resending the entries SQS reports as failed on its side; a sender fault is a bug and fails the step.</summary>
    private static async Task SendAsync(IQueue queue, IReadOnlyList<CandidateRecord> batch, CancellationToken cancellationToken)
    {
        var messages = batch.Select((r, i) => new OutgoingMessage(RunRecords.JobBody(Job(r)), i.ToString(CultureInfo.InvariantCulture))).ToList();
        for (var attempt = 1; messages.Count > 0; attempt++)
        {
            var result = await queue.SendBatchAsync(messages, cancellationToken);
            if (result.Failed.FirstOrDefault(f => f.SenderFault) is { } refused)
            {
                throw new WorkflowTaskException("Queue.Refused", $"{refused.Code}: {refused.Reason}");
            }

            if (result.Failed.Count > 0 && attempt >= 3)
            {
                throw new WorkflowTaskException(WorkflowErrors.Transient, $"{result.Failed.Count} scrape jobs not sent: {result.Failed[0].Code}");
            }

            var failed = result.Failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            messages = [.. messages.Where(m => failed.Contains(m.Id!))];
        }
    }

    /// <summary>
    /// One site's artists one after another would have every worker queueing for that site's
    /// turn (a request a second) while the others sit idle; taking one artist from each site in
    /// turn keeps the workers on different sites. (A queue is roughly, not strictly, first in first out.)
    /// </summary>
    internal static IEnumerable<CandidateRecord> AcrossSites(IEnumerable<CandidateRecord> records)
    {
        var sites = records.GroupBy(r => r.Candidate.ProfileUrl.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase)
            .Select(g => g.ToList())
            .ToList();
        for (var i = 0; sites.Count > 0; i++)
        {
            sites.RemoveAll(site => site.Count <= i);
            foreach (var site in sites) yield return site[i];
        }
    }

    private static ScrapeJob Job(CandidateRecord record) =>
        new(record.ScrapeId, record.Candidate.RunId, record.Candidate.StudioId, record.Candidate.ProfileUrl, record.Candidate.NameHint, record.Candidate.InstagramHandle);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: sent {Sent} scrape jobs ({Queued} queued in all, {Denied} dropped by the denylist)")]
    private static partial void LogQueued(ILogger logger, string runId, int sent, int queued, int denied);
}
