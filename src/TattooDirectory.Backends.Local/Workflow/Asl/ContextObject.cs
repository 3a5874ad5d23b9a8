using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// The Context Object that <c>$$</c> paths read, with the fields Step Functions gives:
/// Execution (Id, Name, Input, StartTime), StateMachine (Id, Name), State (Name, EnteredTime,
/// RetryCount) and, inside a Map's ItemSelector, Map.Item (Index, Value). Built only when a
/// <c>$$</c> path is used.
/// </summary>
internal sealed class ContextObject(ExecutionDescription execution, string stateName, DateTimeOffset enteredTime, int retryCount)
{
    private (int Index, JsonNode? Value)? _mapItem;
    private JsonObject? _json;

    /// <summary>The same context inside a Map's ItemSelector, for one item.</summary>
    public ContextObject ForMapItem(int index, JsonNode? value) =>
        new(execution, stateName, enteredTime, retryCount) { _mapItem = (index, value) };

    public JsonObject Json => _json ??= Build();

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private JsonObject Build()
    {
        var json = new JsonObject
        {
            ["Execution"] = new JsonObject
            {
                ["Id"] = execution.ExecutionArn,
                ["Name"] = execution.Name,
                ["Input"] = JsonNode.Parse(execution.Input),
                ["StartTime"] = FormatTime(execution.StartDate),
            },
            ["StateMachine"] = new JsonObject
            {
                ["Id"] = LocalArns.StateMachine(execution.StateMachineName),
                ["Name"] = execution.StateMachineName,
            },
            ["State"] = new JsonObject
            {
                ["Name"] = stateName,
                ["EnteredTime"] = FormatTime(enteredTime),
                ["RetryCount"] = retryCount,
            },
        };
        if (_mapItem is var (index, value))
        {
            json["Map"] = new JsonObject { ["Item"] = new JsonObject { ["Index"] = index, ["Value"] = value?.DeepClone() } };
        }

        return json;
    }
}

/// <summary>ARN-shaped identifiers for local state machines and executions, in Step Functions' format.</summary>
internal static class LocalArns
{
    private const string Prefix = "arn:aws:states:local:000000000000:";

    public static string StateMachine(string name) => $"{Prefix}stateMachine:{name}";

    public static string Execution(string stateMachineName, string name) => $"{Prefix}execution:{stateMachineName}:{name}";
}
