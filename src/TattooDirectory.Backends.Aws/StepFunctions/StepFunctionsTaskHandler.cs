using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Aws.StepFunctions;

/// <summary>
/// The entry point of a workflow task's Lambda function. The ASL's Task states call
/// <c>arn:aws:states:::lambda:invoke</c> with <c>FunctionName: ${Name}</c> and a <c>Payload</c>;
/// Lambda hands the function that payload alone as its event, so the function learns which
/// <see cref="IWorkflowTask"/> it is from configuration (<c>Aws:StepFunctions:Task</c>, one function
/// per task). The handler's result is the function's response, which Step Functions puts under
/// <c>Payload</c> in the state's result, as the Local engine does. A
/// <see cref="WorkflowTaskException"/> becomes a function error whose errorType is its error name
/// (<c>Task.Transient</c> is retried by the definition); any other exception's errorType is its
/// type name, which Step Functions matches as States.TaskFailed.
/// </summary>
public sealed partial class StepFunctionsTaskHandler
{
    private readonly IWorkflowTask _task;
    private readonly ILogger<StepFunctionsTaskHandler> _logger;

    /// <exception cref="InvalidOperationException">no task is configured, or none has the configured name.</exception>
    public StepFunctionsTaskHandler(IEnumerable<IWorkflowTask> tasks, IOptions<AwsOptions> options, ILogger<StepFunctionsTaskHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var name = options.Value.StepFunctions.Task;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidOperationException("Aws:StepFunctions:Task names no workflow task, so this process cannot be a task's Lambda function.");
        }

        var all = tasks.ToList();
        _task = all.FirstOrDefault(t => t.Name == name)
            ?? throw new InvalidOperationException($"Aws:StepFunctions:Task is '{name}', but the tasks are {string.Join(", ", all.Select(t => t.Name).Order(StringComparer.Ordinal))}.");
        _logger = logger;
    }

    public string TaskName => _task.Name;

    /// <summary>Runs the task on the invocation's event (the state's Payload, as JSON text).</summary>
    public async Task<LambdaResponse> HandleAsync(string eventJson, CancellationToken cancellationToken)
    {
        try
        {
            var payload = string.IsNullOrWhiteSpace(eventJson) ? null : JsonNode.Parse(eventJson);
            return LambdaResponse.Json(await _task.InvokeAsync(payload, cancellationToken));
        }
        catch (WorkflowTaskException e)
        {
            LogFailed(_logger, _task.Name, e.Error);
            return LambdaResponse.Error(e.Error, e.Cause);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var type = e.GetType().Name;
            LogFailed(_logger, _task.Name, type);
            return LambdaResponse.Error(type, $"{type}: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow task {Task} failed with {Error}")]
    private static partial void LogFailed(ILogger logger, string task, string error);
}
