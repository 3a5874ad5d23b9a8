using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>A state reported an error: a task's failure or one the interpreter raises (States.Runtime, …).</summary>
internal sealed class StateFailure(string error, string cause) : Exception($"{error}: {cause}")
{
    /// <summary>Step Functions caps an error name at 256 characters and a cause at 32,768.</summary>
    public string Error { get; } = error.Length > 256 ? error[..256] : error;

    public string Cause { get; } = cause.Length > 32_768 ? cause[..32_768] : cause;

    /// <summary>Errors that Retry and Catch never see, not even States.ALL: the execution fails.</summary>
    public bool IsTerminal => Error is WorkflowErrors.Runtime or WorkflowErrors.DataLimitExceeded;

    public static StateFailure Runtime(string cause) => new(WorkflowErrors.Runtime, cause);
}
