using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>The engine's log lines: execution ARNs, state names, statuses and error names only, never data or causes.</summary>
internal static partial class WorkflowLog
{
    /// <summary>An activity per execution and per task state, so their lines (the engine's and the handlers') share a trace id.</summary>
    public static readonly ActivitySource Source = new("TattooDirectory.Workflow");

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Workflow execution {ExecutionArn} started")]
    public static partial void ExecutionStarted(this ILogger logger, string executionArn);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Workflow execution {ExecutionArn} ended {Status} {Error}")]
    public static partial void ExecutionEnded(this ILogger logger, string executionArn, string status, string? error);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Workflow execution {ExecutionArn} resumed at state {State}")]
    public static partial void ExecutionResumed(this ILogger logger, string executionArn, string state);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Workflow execution {ExecutionArn} aborted")]
    public static partial void ExecutionAborted(this ILogger logger, string executionArn);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "Workflow task {State} of {ExecutionArn} failed with {Error}")]
    public static partial void TaskFailed(this ILogger logger, string executionArn, string state, string error);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Error, Message = "Workflow execution {ExecutionArn} stopped on an engine fault; it resumes on the next start")]
    public static partial void ExecutionFault(this ILogger logger, string executionArn, Exception exception);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Warning, Message = "Workflow execution {ExecutionArn} is running but its state machine {StateMachine} is not defined; left as it is")]
    public static partial void UnknownStateMachine(this ILogger logger, string executionArn, string stateMachine);
}
