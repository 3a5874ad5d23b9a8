using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Local.Workflow.Asl;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>This part: the states other than Map, and input/output processing.</summary>
internal sealed partial class ExecutionRunner
{
    private static Step Pass(PassState state, JsonNode? raw, ContextObject context)
    {
        var effective = Input(state.InputPath, raw, context);
        var result = state.ResultJson is { } json ? JsonNode.Parse(json) : state.Parameters?.Evaluate(effective, context) ?? effective;
        return Done(state, Output(state.OutputPath, Result(state.ResultPath, raw, result), context));
    }

    private static Moved Choose(ChoiceState state, JsonNode? raw, ContextObject context)
    {
        var effective = Input(state.InputPath, raw, context);
        var next = state.Choices.FirstOrDefault(c => c.Rule.Evaluate(effective, context))?.Next
            ?? state.Default
            ?? throw new StateFailure(WorkflowErrors.NoChoiceMatched, $"No choice rule of '{state.Name}' matched and it has no Default.");
        return new Moved(next, Output(state.OutputPath, effective, context), []);
    }

    /// <summary>Waits from when the state was entered (committed), so a restart waits only what is left.</summary>
    private async Task<Step> WaitAsync(WaitState state, ThreadCursor thread, ContextObject context, CancellationToken token)
    {
        var effective = Input(state.InputPath, thread.Input, context);
        var until = state switch
        {
            { Seconds: { } seconds } => thread.EnteredAt.AddSeconds(seconds),
            { SecondsPath: { } path } => thread.EnteredAt.AddSeconds(Integer(path, effective, context, "SecondsPath", minimum: 0)),
            { Timestamp: { } timestamp } => timestamp,
            _ => Select(state.TimestampPath!, effective, context, "TimestampPath") is JsonValue v && v.TryGetValue<string>(out var text) && Timestamps.TryParse(text, out var at)
                ? at
                : throw StateFailure.Runtime($"The TimestampPath '{state.TimestampPath}' of '{state.Name}' does not select an RFC 3339 timestamp."),
        };
        await DelayUntilAsync(until, token);
        return Done(state, Output(state.OutputPath, effective, context));
    }

    private static Failed Fail(FailState state, JsonNode? raw, ContextObject context)
    {
        string? Text(string? literal, ReferencePath? path, string field) =>
            literal ?? (path is null ? null
                : Select(path, raw, context, field) is JsonValue v && v.TryGetValue<string>(out var text) ? text
                : throw StateFailure.Runtime($"The {field} '{path}' of '{state.Name}' does not select a string."));

        return new Failed(Text(state.Error, state.ErrorPath, "ErrorPath"), Text(state.Cause, state.CausePath, "CausePath"), []);
    }

    /// <summary>
    /// Calls the handler as Step Functions' Lambda integration does: the Payload goes in, and the
    /// result is <c>{ "ExecutedVersion", "Payload", "StatusCode" }</c> for ResultSelector and ResultPath.
    /// </summary>
    private async Task<Step> RunTaskAsync(ExecutionRun run, ThreadCursor thread, TaskState state, ContextObject context, CancellationToken token)
    {
        using var activity = WorkflowLog.Source.StartActivity("workflow.task");
        activity?.SetTag("workflow.state", state.Name);
        var effective = Input(state.InputPath, thread.Input, context);
        var parameters = state.Parameters.Evaluate(effective, context);
        // The handler gets the payload as a Lambda function would: JSON text, parsed afresh.
        var payload = JsonNode.Parse(Json.Limited(parameters.TryGetPropertyValue("Payload", out var given) ? given : new JsonObject(), $"payload of task '{state.Name}'"));
        var timeout = state.TimeoutSeconds ?? (state.TimeoutSecondsPath is { } path ? Integer(path, effective, context, "TimeoutSecondsPath", minimum: 1) : null);

        Record(run, thread,
            Draft.Of(HistoryEventType.TaskScheduled, state.Name) with { Input = Json.Text(parameters), Resource = state.Function },
            Draft.Of(HistoryEventType.TaskStarted, state.Name) with { Resource = state.Function });

        using var call = CancellationTokenSource.CreateLinkedTokenSource(token);
        JsonNode? result;
        try
        {
            var invocation = tasks[state.Function].InvokeAsync(payload, call.Token);
            result = timeout is { } seconds ? await invocation.WaitAsync(TimeSpan.FromSeconds(seconds), time, token) : await invocation.WaitAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancel the handler's token now: token's own callbacks may still be queued, and the
            // linked source is disposed on the way out.
            call.Cancel();
            throw;
        }
        catch (TimeoutException)
        {
            await call.CancelAsync();
            var cause = $"The task did not finish within its {timeout} seconds.";
            return new Failed(WorkflowErrors.Timeout, cause, [Draft.Of(HistoryEventType.TaskTimedOut, state.Name) with { Error = WorkflowErrors.Timeout, Cause = cause, Resource = state.Function }]);
        }
        catch (Exception e)
        {
            var (error, cause) = e is WorkflowTaskException named ? (named.Error, named.Cause) : (WorkflowErrors.TaskFailed, $"{e.GetType().Name}: {e.Message}");
            logger.TaskFailed(run.Execution.ExecutionArn, state.Name, error);
            return new Failed(error, cause, [Draft.Of(HistoryEventType.TaskFailed, state.Name) with { Error = error, Cause = cause, Resource = state.Function }]);
        }

        var invokeResult = new JsonObject { ["ExecutedVersion"] = "$LATEST", ["Payload"] = result?.DeepClone(), ["StatusCode"] = 200 };
        var succeeded = Draft.Of(HistoryEventType.TaskSucceeded, state.Name) with { Output = Json.Text(invokeResult), Resource = state.Function };
        try
        {
            var effectiveResult = state.ResultSelector?.Evaluate(invokeResult, context) ?? invokeResult;
            return Done(state, Output(state.OutputPath, Result(state.ResultPath, thread.Input, effectiveResult), context), succeeded);
        }
        catch (StateFailure failure)
        {
            return Failed.From(failure, succeeded);
        }
    }

    /// <summary>InputPath: a null path gives the state <c>{}</c>.</summary>
    private static JsonNode? Input(ReferencePath? path, JsonNode? raw, ContextObject context) =>
        path is null ? new JsonObject() : Select(path, raw, context, "InputPath");

    /// <summary>OutputPath: a null path makes the state output <c>{}</c>.</summary>
    private static JsonNode? Output(ReferencePath? path, JsonNode? data, ContextObject context) =>
        path is null ? new JsonObject() : Select(path, data, context, "OutputPath");

    /// <summary>ResultPath: a null path discards the result and passes the raw input on.</summary>
    private static JsonNode? Result(ReferencePath? path, JsonNode? raw, JsonNode? result) =>
        path is null ? raw?.DeepClone() : path.Put(raw, result);

    private static JsonNode? Select(ReferencePath path, JsonNode? data, ContextObject context, string field) =>
        PayloadTemplate.TrySelect(path, data, context, out var value)
            ? value?.DeepClone()
            : throw StateFailure.Runtime($"Invalid path '{path}' in {field}: the input has no value there.");

    private static int Integer(ReferencePath path, JsonNode? data, ContextObject context, string field, int minimum) =>
        Select(path, data, context, field) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number) && number >= minimum
            ? number
            : throw StateFailure.Runtime($"The {field} '{path}' does not select an integer of at least {minimum}.");
}
