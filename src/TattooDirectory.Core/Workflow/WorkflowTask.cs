using System.Text.Json.Nodes;

namespace TattooDirectory.Core.Workflow;

/// <summary>
/// The code behind a Task state: a logical function (<c>DiscoverStudios</c>, <c>FindArtists</c>, …)
/// that a state machine calls by <see cref="Name"/>. Locally the engine calls it in-process; in AWS
/// the same handler runs as the Lambda function the definition names. It takes the task's payload
/// and returns its result (a Lambda function's event and response).
/// </summary>
/// <remarks>
/// Delivery is at least once, as with Step Functions' retries: a task interrupted by a restart runs
/// again, so a handler must be idempotent. To fail with an error a Retry or Catch can name, throw
/// <see cref="WorkflowTaskException"/>; any other exception fails the task with
/// <see cref="WorkflowErrors.TaskFailed"/>. The token is cancelled when the execution is stopped,
/// the task times out or the host shuts down.
/// </remarks>
public interface IWorkflowTask
{
    string Name { get; }

    Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken);
}

/// <summary>Handlers made from a delegate, for small tasks and tests.</summary>
public static class WorkflowTask
{
    public static IWorkflowTask Create(string name, Func<JsonNode?, CancellationToken, Task<JsonNode?>> invoke)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(invoke);
        return new DelegateTask(name, invoke);
    }

    private sealed class DelegateTask(string name, Func<JsonNode?, CancellationToken, Task<JsonNode?>> invoke) : IWorkflowTask
    {
        public string Name => name;

        public Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken) => invoke(payload, cancellationToken);
    }
}

/// <summary>
/// A task failure with an error name that Retry and Catch match on (<see cref="Error"/>), and a
/// human-readable <see cref="Cause"/>. Error names beginning with <c>States.</c> are reserved for
/// the engine. The cause is kept in the execution history: no personal data in it.
/// </summary>
public sealed class WorkflowTaskException : Exception
{
    public WorkflowTaskException(string error, string cause, Exception? innerException = null)
        : base($"{error}: {cause}", innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        if (error.StartsWith(WorkflowErrors.ReservedPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Error names beginning with '{WorkflowErrors.ReservedPrefix}' are reserved for the engine.", nameof(error));
        }

        Error = error;
        Cause = cause ?? "";
    }

    public string Error { get; }

    public string Cause { get; }
}

/// <summary>The error names of the States Language (Appendix A and Step Functions' additions), and this project's own.</summary>
public static class WorkflowErrors
{
    public const string ReservedPrefix = "States.";

    /// <summary>Matches any error in Retry or Catch, except <see cref="Runtime"/> and <see cref="DataLimitExceeded"/>.</summary>
    public const string All = "States.ALL";

    /// <summary>A task failed; in Retry or Catch it matches any error except <see cref="Timeout"/> (and the uncatchable ones).</summary>
    public const string TaskFailed = "States.TaskFailed";

    public const string Timeout = "States.Timeout";

    /// <summary>A path or value that cannot apply to the data; never retried or caught: the execution fails.</summary>
    public const string Runtime = "States.Runtime";

    /// <summary>A state's input or output over 256 KiB; never retried or caught.</summary>
    public const string DataLimitExceeded = "States.DataLimitExceeded";

    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string IntrinsicFailure = "States.IntrinsicFailure";

    /// <summary>
    /// This project's name for a failure that a retry may cure (a remote site or API that is down or
    /// throttling). The aggregation definition retries it with back-off.
    /// </summary>
    public const string Transient = "Task.Transient";
}
