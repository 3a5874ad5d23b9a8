using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// Where every unhandled failure of a run ends: a critical alert (through the outbox, with the
/// run's summary marked failed in the same transaction). The execution then fails with the
/// original error, so the run is FAILED in the engine too.
/// </summary>
internal sealed partial class NotifyFailureTask(ITable table, TimeProvider time, ILogger<NotifyFailureTask> logger) : IWorkflowTask
{
    public const string TaskName = "NotifyFailure";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var error = TaskPayload.OptionalString(payload, "error") ?? WorkflowErrors.TaskFailed;
        var cause = TaskPayload.OptionalString(payload, "cause") ?? "";
        var now = time.GetUtcNow();
        var summary = (await RunRecords.ReadSummaryAsync(table, runId, cancellationToken) ?? new RunSummary { RunId = runId, StartedAt = now }) with
        {
            Status = RunStatus.Failed,
            FinishedAt = now,
            Error = error,
        };
        var alert = new Notification(
            $"Aggregation run {runId} failed: {error}",
            $"The aggregation run {runId} stopped with {error}.\nCause: {cause}\nSee /admin/runs/{runId} for its step history.",
            new Dictionary<string, string> { ["runId"] = runId, ["status"] = "failed", ["error"] = error });
        await RunNotices.RecordAsync(table, summary, Topics.CriticalAlerts, $"aggregation-failed-{runId}", alert, now, cancellationToken);
        LogFailed(logger, runId, error);
        return new JsonObject();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Aggregation run {RunId} failed with {Error}; critical alert raised")]
    private static partial void LogFailed(ILogger logger, string runId, string error);
}
