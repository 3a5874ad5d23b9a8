using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// The drain poll: the run is done with the queue when nothing is left to deliver (visible, in
/// flight or delayed) and every job it queued has an outcome, or could be among the dead letters.
/// The queue is shared, so another run's jobs keep this one waiting too: simple, and runs are daily.
/// </summary>
internal sealed partial class CheckQueueDrainedTask(IQueues queues, ITable table, ILogger<CheckQueueDrainedTask> logger) : IWorkflowTask
{
    public const string TaskName = "CheckQueueDrained";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var stats = await queues.Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings).GetStatsAsync(cancellationToken);
        var queued = (await RunRecords.CandidatesAsync(table, runId, cancellationToken)).Where(c => c.Queued).Select(c => c.ScrapeId).ToHashSet(StringComparer.Ordinal);
        var outcomes = (await RunRecords.OutcomesAsync(table, runId, cancellationToken)).Select(o => o.ScrapeId).ToHashSet(StringComparer.Ordinal);
        var missing = queued.Count(id => !outcomes.Contains(id));
        var drained = stats.IsDrained && missing <= stats.DeadLetters;
        LogPoll(logger, runId, TaskPayload.Int(payload, "polls"), stats.Visible, stats.InFlight, stats.Delayed, missing, drained);
        return new JsonObject { ["drained"] = drained };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} drain poll {Poll}: {Visible} visible, {InFlight} in flight, {Delayed} delayed, {Missing} jobs without outcome; drained {Drained}")]
    private static partial void LogPoll(ILogger logger, string runId, int poll, int visible, int inFlight, int delayed, int missing, bool drained);
}
