using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// Told by the Local engine what its executions did, once it is committed: how long each state
/// took and how each execution ended. The host records these as metrics (Step Functions publishes
/// its own in AWS); the engine itself knows nothing of meters.
/// </summary>
public interface IWorkflowObserver
{
    /// <summary>An execution of <paramref name="stateMachine"/> left <paramref name="state"/> (moved on, ended or failed there) after <paramref name="duration"/>.</summary>
    void StateLeft(string stateMachine, string state, TimeSpan duration);

    /// <summary>An execution of <paramref name="stateMachine"/> stopped with <paramref name="status"/>.</summary>
    void ExecutionEnded(string stateMachine, ExecutionStatus status);
}

/// <summary>The observer of an engine nobody watches.</summary>
internal sealed class NoWorkflowObserver : IWorkflowObserver
{
    public static readonly NoWorkflowObserver Instance = new();

    public void StateLeft(string stateMachine, string state, TimeSpan duration)
    {
    }

    public void ExecutionEnded(string stateMachine, ExecutionStatus status)
    {
    }
}
