namespace TattooDirectory.Core.Workflow;

/// <summary>
/// Runs state machines written in the Amazon States Language (Step Functions in AWS, the local ASL
/// executor on the Local backend). State machines are known by name; an execution is known by its
/// ARN. Executions are durable: a started execution survives a restart of the process running it.
/// </summary>
public interface IWorkflowEngine
{
    /// <summary>
    /// Starts an execution of <paramref name="stateMachineName"/> with <paramref name="input"/> (a JSON
    /// text; <c>{}</c> when null) and returns at once; the execution runs in the background.
    /// <paramref name="name"/> (1 – 80 characters, none of whitespace, <c>&lt;&gt;{}[]?*"#%\^|~`$&amp;,;:/</c>
    /// or control characters; a new GUID when null) makes the start idempotent as StartExecution is for
    /// standard workflows: the same name and input while that execution runs returns it again.
    /// </summary>
    /// <exception cref="KeyNotFoundException">no state machine has that name (StateMachineDoesNotExist).</exception>
    /// <exception cref="ArgumentException">an invalid name, or an input that is not JSON or exceeds 256 KiB.</exception>
    /// <exception cref="ExecutionAlreadyExistsException">the name was used by an execution that has stopped or had another input.</exception>
    Task<StartedExecution> StartExecutionAsync(string stateMachineName, string? input = null, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>The execution's status, input and, once stopped, its output or error (DescribeExecution); null when unknown.</summary>
    Task<ExecutionDescription?> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the execution's events, oldest first unless <paramref name="reverseOrder"/>
    /// (GetExecutionHistory). Pass the returned <see cref="HistoryPage.NextToken"/> for the next page.
    /// </summary>
    /// <exception cref="KeyNotFoundException">no execution has that ARN.</exception>
    /// <exception cref="ArgumentException"><paramref name="maxResults"/> outside 1 – 1,000, or a token that is not one of this engine's.</exception>
    Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults = 100, string? nextToken = null, bool reverseOrder = false, CancellationToken cancellationToken = default);

    /// <summary>Executions of a state machine, newest first, optionally of one status (ListExecutions).</summary>
    /// <exception cref="KeyNotFoundException">no state machine has that name.</exception>
    /// <exception cref="ArgumentException"><paramref name="maxResults"/> outside 1 – 1,000, or a token that is not one of this engine's.</exception>
    Task<ExecutionPage> ListExecutionsAsync(string stateMachineName, ExecutionStatus? statusFilter = null, int maxResults = 100, string? nextToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Aborts a running execution with an optional error and cause (StopExecution): it becomes
    /// <see cref="ExecutionStatus.Aborted"/> at once and no further state runs. Returns false when the
    /// execution had already stopped.
    /// </summary>
    /// <exception cref="KeyNotFoundException">no execution has that ARN.</exception>
    Task<bool> StopExecutionAsync(string executionArn, string? error = null, string? cause = null, CancellationToken cancellationToken = default);
}

/// <summary>What StartExecution answers.</summary>
public sealed record StartedExecution(string ExecutionArn, DateTimeOffset StartDate);

/// <summary>The statuses of an execution, as Step Functions names them (RUNNING, SUCCEEDED, ...).</summary>
public enum ExecutionStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// <summary>DescribeExecution: JSON texts for input and output; error and cause when it failed, timed out or was aborted.</summary>
public sealed record ExecutionDescription(
    string ExecutionArn,
    string StateMachineName,
    string Name,
    ExecutionStatus Status,
    string Input,
    string? Output,
    string? Error,
    string? Cause,
    DateTimeOffset StartDate,
    DateTimeOffset? StopDate);

/// <summary>One row of ListExecutions.</summary>
public sealed record ExecutionSummary(string ExecutionArn, string StateMachineName, string Name, ExecutionStatus Status, DateTimeOffset StartDate, DateTimeOffset? StopDate);

public sealed record ExecutionPage(IReadOnlyList<ExecutionSummary> Executions, string? NextToken);

public sealed record HistoryPage(IReadOnlyList<HistoryEvent> Events, string? NextToken);

/// <summary>
/// One event of an execution's history, flattened from Step Functions' per-type details:
/// <see cref="StateName"/> for state, task and Map events; <see cref="Input"/>/<see cref="Output"/>
/// as JSON texts (a state's input on entry, its output on exit, a task's payload when scheduled and
/// result when it succeeded); <see cref="Error"/>/<see cref="Cause"/> on failures;
/// <see cref="Resource"/> the function a task called; <see cref="IterationIndex"/> on Map iteration
/// events and <see cref="IterationCount"/> on MapStateStarted.
/// </summary>
public sealed record HistoryEvent(
    long Id,
    long PreviousEventId,
    DateTimeOffset Timestamp,
    HistoryEventType Type,
    string? StateName = null,
    string? Input = null,
    string? Output = null,
    string? Error = null,
    string? Cause = null,
    string? Resource = null,
    int? IterationIndex = null,
    int? IterationCount = null);

/// <summary>Step Functions' history event types for the states this project uses, plus one the local engine adds.</summary>
public enum HistoryEventType
{
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionAborted,
    ExecutionTimedOut,

    /// <summary>Local engine only: the execution was picked up again after the process restarted.</summary>
    ExecutionResumed,

    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    WaitStateEntered,
    WaitStateExited,
    PassStateEntered,
    PassStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    MapStateEntered,
    MapStateExited,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapStateAborted,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
}

/// <summary>The name was already used by another execution of the state machine (ExecutionAlreadyExists).</summary>
public sealed class ExecutionAlreadyExistsException(string message) : InvalidOperationException(message);
