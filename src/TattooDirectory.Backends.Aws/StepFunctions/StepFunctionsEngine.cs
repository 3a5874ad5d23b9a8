using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Core.Workflow;
using static TattooDirectory.Backends.Aws.StepFunctions.StepFunctionsHistory;

namespace TattooDirectory.Backends.Aws.StepFunctions;

/// <summary>
/// The workflow engine on Step Functions (standard workflows), through the signed client. The
/// service keeps the semantics of <see cref="IWorkflowEngine"/> itself, StartExecution's idempotency
/// included (same name and input while running: the same execution; otherwise
/// ExecutionAlreadyExists); this class maps names to state machine ARNs and answers to the port's.
/// It does not run task handlers: Step Functions invokes each task's Lambda function, which runs
/// <see cref="StepFunctionsTaskHandler"/>.
/// </summary>
public sealed class StepFunctionsEngine(SignedHttpClient http, IOptions<AwsOptions> options) : IWorkflowEngine
{
    private const int MaxResults = 1000;

    private StepFunctionsApi Api => new(http, options.Value);

    private StepFunctionsOptions Settings => options.Value.StepFunctions;

    public async Task<StartedExecution> StartExecutionAsync(string stateMachineName, string? input = null, string? name = null, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["stateMachineArn"] = StateMachineArn(stateMachineName),
            ["name"] = name ?? Guid.NewGuid().ToString(),
            ["input"] = input ?? "{}",
        };
        var response = await CallAsync("StartExecution", request, cancellationToken);
        return new StartedExecution(response["executionArn"]!.GetValue<string>(), Date(response["startDate"])!.Value);
    }

    public async Task<ExecutionDescription?> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionArn);
        JsonObject response;
        try
        {
            response = await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }

        return new ExecutionDescription(
            response["executionArn"]!.GetValue<string>(),
            StateMachineName(response["stateMachineArn"]!.GetValue<string>()),
            response["name"]!.GetValue<string>(),
            Status(response["status"]!.GetValue<string>()),
            response["input"]?.GetValue<string>() ?? "{}",
            response["output"]?.GetValue<string>(),
            response["error"]?.GetValue<string>(),
            response["cause"]?.GetValue<string>(),
            Date(response["startDate"])!.Value,
            Date(response["stopDate"]));
    }

    public async Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults = 100, string? nextToken = null, bool reverseOrder = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionArn);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxResults);
        var request = new JsonObject
        {
            ["executionArn"] = executionArn,
            ["maxResults"] = maxResults,
            ["reverseOrder"] = reverseOrder,
            ["includeExecutionData"] = true,
        };
        AddToken(request, nextToken);
        return Page(await CallAsync("GetExecutionHistory", request, cancellationToken));
    }

    public async Task<ExecutionPage> ListExecutionsAsync(string stateMachineName, ExecutionStatus? statusFilter = null, int maxResults = 100, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxResults);
        var request = new JsonObject { ["stateMachineArn"] = StateMachineArn(stateMachineName), ["maxResults"] = maxResults };
        if (statusFilter is { } status)
        {
            request["statusFilter"] = Wire(status);
        }

        AddToken(request, nextToken);
        var response = await CallAsync("ListExecutions", request, cancellationToken);
        var executions = response["executions"]?.AsArray().OfType<JsonObject>().Select(e => new ExecutionSummary(
            e["executionArn"]!.GetValue<string>(),
            StateMachineName(e["stateMachineArn"]!.GetValue<string>()),
            e["name"]!.GetValue<string>(),
            Status(e["status"]!.GetValue<string>()),
            Date(e["startDate"])!.Value,
            Date(e["stopDate"]))).ToList() ?? [];
        return new ExecutionPage(executions, response["nextToken"]?.GetValue<string>());
    }

    /// <summary>
    /// DescribeExecution first, so an execution that already stopped answers false without a
    /// StopExecution (which would not say whether it stopped anything).
    /// </summary>
    public async Task<bool> StopExecutionAsync(string executionArn, string? error = null, string? cause = null, CancellationToken cancellationToken = default)
    {
        var execution = await DescribeExecutionAsync(executionArn, cancellationToken)
            ?? throw new KeyNotFoundException($"No execution '{executionArn}'.");
        if (execution.Status != ExecutionStatus.Running)
        {
            return false;
        }

        var request = new JsonObject { ["executionArn"] = executionArn };
        if (error is not null)
        {
            request["error"] = error;
        }

        if (cause is not null)
        {
            request["cause"] = cause;
        }

        await CallAsync("StopExecution", request, cancellationToken);
        return true;
    }

    /// <exception cref="KeyNotFoundException">no ARN is configured for the name.</exception>
    internal string StateMachineArn(string stateMachineName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateMachineName);
        return Settings.StateMachineArns.GetValueOrDefault(stateMachineName)
            ?? (string.IsNullOrEmpty(Settings.StateMachineArnPrefix)
                ? throw new KeyNotFoundException($"No state machine is configured for '{stateMachineName}': set Aws:StepFunctions:StateMachineArns:{stateMachineName} or Aws:StepFunctions:StateMachineArnPrefix.")
                : Settings.StateMachineArnPrefix + stateMachineName);
    }

    /// <summary>The port's name for a state machine ARN: the configured name, else the ARN's last part.</summary>
    internal string StateMachineName(string arn)
    {
        foreach (var (name, configured) in Settings.StateMachineArns)
        {
            if (configured == arn)
            {
                return name;
            }
        }

        var prefix = Settings.StateMachineArnPrefix;
        return !string.IsNullOrEmpty(prefix) && arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..] : arn[(arn.LastIndexOf(':') + 1)..];
    }

    private static void AddToken(JsonObject request, string? nextToken)
    {
        if (nextToken is not null)
        {
            request["nextToken"] = nextToken;
        }
    }

    /// <summary>One call, with Step Functions' errors as the port's exceptions.</summary>
    private async Task<JsonObject> CallAsync(string action, JsonObject request, CancellationToken ct)
    {
        try
        {
            return await Api.CallAsync(action, request, ct);
        }
        catch (StepFunctionsError e)
        {
            throw e.Code switch
            {
                "ExecutionAlreadyExists" => new ExecutionAlreadyExistsException(e.Message),
                "StateMachineDoesNotExist" or "StateMachineDeleting" or "ExecutionDoesNotExist" or "InvalidArn" => new KeyNotFoundException(e.Message, e),
                "InvalidName" or "InvalidExecutionInput" or "InvalidToken" or "ValidationException" => new ArgumentException(e.Message, e),
                _ => e.AsApiException(),
            };
        }
    }
}
