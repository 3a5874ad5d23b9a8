using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>An execution as stored: <see cref="Seq"/> orders executions (newest highest) and keys their history and threads.</summary>
internal sealed record ExecutionRow(long Seq, ExecutionDescription Execution)
{
    public ExecutionSummary ToSummary() =>
        new(Execution.ExecutionArn, Execution.StateMachineName, Execution.Name, Execution.Status, Execution.StartDate, Execution.StopDate);
}

internal enum ThreadStatus
{
    /// <summary>A Map iteration not started yet.</summary>
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>A Map iteration stopped because another iteration failed.</summary>
    Aborted,
}

/// <summary>
/// Where one thread of an execution is: the root (key "") or a Map iteration (key
/// "{parent}/{index}"). Written at every transition, so a restart continues each thread at
/// <see cref="State"/> with <see cref="Input"/>: the retry counts of the state's Retriers, when a
/// retry is due, whether a Map state has laid out its iterations, and a finished iteration's outcome.
/// </summary>
internal sealed record ThreadRow(
    string Key,
    int? ItemIndex,
    ThreadStatus Status,
    string State,
    string Input,
    DateTimeOffset EnteredAt,
    string? Attempts,
    DateTimeOffset? RetryAt,
    bool MapStarted,
    string? Output = null,
    string? Error = null,
    string? Cause = null)
{
    public static string ChildKey(string parent, int index) => $"{parent}/{index}";
}

/// <summary>Events as the interpreter describes them; the store gives each its id, predecessor and time when it appends it.</summary>
internal static class Draft
{
    public static HistoryEvent Of(HistoryEventType type, string? stateName = null) => new(0, 0, default, type, stateName);
}

/// <summary>A write for an execution that has already stopped; the writer gives up quietly.</summary>
internal sealed class ExecutionClosedException() : Exception("The execution has stopped.");

internal static class ExecutionStatusText
{
    public static string ToText(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "ABORTED",
    };

    public static ExecutionStatus Parse(string text) => text switch
    {
        "RUNNING" => ExecutionStatus.Running,
        "SUCCEEDED" => ExecutionStatus.Succeeded,
        "FAILED" => ExecutionStatus.Failed,
        "TIMED_OUT" => ExecutionStatus.TimedOut,
        _ => ExecutionStatus.Aborted,
    };
}
