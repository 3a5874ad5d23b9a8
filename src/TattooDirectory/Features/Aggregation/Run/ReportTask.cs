using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// The run's last step: counts what happened (studios, artists found, the scrape outcomes) and
/// keeps it on the run's summary item, with the report to <see cref="Topics.AggregationReports"/>
/// written in the same transaction through the outbox. Returned as the execution's output.
/// </summary>
internal sealed partial class ReportTask(ITable table, TimeProvider time, ILogger<ReportTask> logger) : IWorkflowTask
{
    public const string TaskName = "Report";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var before = await RunRecords.ReadSummaryAsync(table, runId, cancellationToken);
        var candidates = await RunRecords.CandidatesAsync(table, runId, cancellationToken);
        var queued = candidates.Where(c => c.Queued).Select(c => c.ScrapeId).ToHashSet(StringComparer.Ordinal);
        var outcomes = (await RunRecords.OutcomesAsync(table, runId, cancellationToken)).Where(o => queued.Contains(o.ScrapeId)).ToList();
        var studios = payload?["studios"] as JsonArray ?? [];
        var denied = candidates.Count(c => c.Denied);
        int Count(params ScrapeOutcomeKind[] kinds) => outcomes.Count(o => kinds.Contains(o.Kind));
        var summary = (before ?? new RunSummary { RunId = runId, StartedAt = StartedAt(payload) ?? time.GetUtcNow() }) with
        {
            Status = RunStatus.Succeeded,
            FinishedAt = time.GetUtcNow(),
            Studios = Math.Max(before?.Studios ?? 0, studios.Count),
            StudiosFailed = studios.Count(s => s?["failed"] is JsonValue f && f.TryGetValue<bool>(out var failed) && failed),
            ArtistsFound = candidates.Count,
            Queued = queued.Count,
            Denied = denied,
            New = Count(ScrapeOutcomeKind.New),
            Updated = Count(ScrapeOutcomeKind.Updated),
            Unchanged = Count(ScrapeOutcomeKind.Unchanged),
            Skipped = denied + Count(ScrapeOutcomeKind.SkippedDenied, ScrapeOutcomeKind.SkippedRobots),
            Failed = Count(ScrapeOutcomeKind.Failed),
            DeadLettered = queued.Count - outcomes.Count,
            Drained = payload?["drained"] is JsonValue d && d.TryGetValue<bool>(out var drained) && drained,
            Error = null,
        };

        await RunNotices.RecordAsync(table, summary, Topics.AggregationReports, $"aggregation-report-{runId}", Report(summary), time.GetUtcNow(), cancellationToken);
        LogReported(logger, runId, summary.Studios, summary.ArtistsFound, summary.New, summary.Updated, summary.Failed, summary.DeadLettered);
        return JsonNode.Parse(RunRecords.ToJson(summary));
    }

    private static DateTimeOffset? StartedAt(JsonNode? payload) =>
        DateTimeOffset.TryParse(TaskPayload.OptionalString(payload, "startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>Counts only: a report goes to operators' inboxes and must name nobody.</summary>
    private static Notification Report(RunSummary s) => new(
        $"Aggregation run {s.RunId}: {s.New} new, {s.Updated} updated, {s.Failed} failed",
        string.Create(CultureInfo.InvariantCulture, $"""
            Run {s.RunId} finished {(s.Drained ? "with the scrape queue drained" : "without waiting longer for the scrape queue")}.
            Cities: {string.Join(", ", s.Cities)}
            Studios: {s.Studios} ({s.StudiosFailed} whose site could not be read)
            Artists found: {s.ArtistsFound}; queued: {s.Queued}; dropped by the denylist: {s.Denied}
            New: {s.New}; updated: {s.Updated}; unchanged: {s.Unchanged}; skipped: {s.Skipped}; failed: {s.Failed}; dead-lettered: {s.DeadLettered}
            """),
        new Dictionary<string, string> { ["runId"] = s.RunId, ["status"] = "succeeded" });

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} reported: {Studios} studios, {Artists} artists found, {New} new, {Updated} updated, {Failed} failed, {DeadLettered} dead-lettered")]
    private static partial void LogReported(ILogger logger, string runId, int studios, int artists, int @new, int updated, int failed, int deadLettered);
}

/// <summary>Writes a run's summary together with its notification, once: a retried step rewrites the summary but never sends a second message.</summary>
internal static class RunNotices
{
    public static async Task RecordAsync(ITable table, RunSummary summary, string topic, string messageId, Notification message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await table.TransactWriteAsync([new TableWrite.Put(RunRecords.SummaryItem(summary)), Outbox.Publish(topic, message, messageId, now)], cancellationToken);
        }
        catch (TransactionCanceledException)
        {
            // The message went out on an earlier attempt (its outbox id is taken); the summary is still ours to write.
            await table.PutAsync(RunRecords.SummaryItem(summary), cancellationToken: cancellationToken);
        }
    }
}
