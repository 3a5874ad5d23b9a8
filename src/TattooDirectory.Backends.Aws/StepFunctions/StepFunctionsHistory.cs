using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Aws.StepFunctions;

/// <summary>
/// Reads Step Functions' JSON answers into the port's records: timestamps (epoch seconds with a
/// fraction), statuses, and history events flattened from their per-type <c>…EventDetails</c>.
/// </summary>
internal static class StepFunctionsHistory
{
    public static HistoryPage Page(JsonObject response)
    {
        var events = response["events"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var byId = events.ToDictionary(e => e["id"]!.GetValue<long>());
        var page = new List<HistoryEvent>(events.Count);
        foreach (var json in events)
        {
            // Types this project's states never produce (Parallel, activities, redrives, ...) have no port value.
            if (!Enum.TryParse<HistoryEventType>(json["type"]?.GetValue<string>(), ignoreCase: false, out var type) || type is HistoryEventType.ExecutionResumed)
            {
                continue;
            }

            var details = Details(json);
            var parameters = ParseObject(details?["parameters"]?.GetValue<string>());
            page.Add(new HistoryEvent(
                json["id"]!.GetValue<long>(),
                json["previousEventId"]?.GetValue<long>() ?? 0,
                Date(json["timestamp"]) ?? throw new InvalidDataException("A history event has no timestamp."),
                type,
                StateName(json, type, byId),
                Input: parameters?["Payload"]?.ToJsonString() ?? Text(details, "input"),
                Output: Text(details, "output"),
                Error: Text(details, "error"),
                Cause: Text(details, "cause"),
                Resource: parameters?["FunctionName"]?.GetValue<string>() ?? Resource(details),
                IterationIndex: details?["index"]?.GetValue<int>(),
                IterationCount: details?["length"]?.GetValue<int>()));
        }

        return new HistoryPage(page, response["nextToken"]?.GetValue<string>());
    }

    public static DateTimeOffset? Date(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)),
        _ => DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture),
    };

    public static ExecutionStatus Status(string status) => status switch
    {
        "RUNNING" or "PENDING_REDRIVE" => ExecutionStatus.Running,
        "SUCCEEDED" => ExecutionStatus.Succeeded,
        "FAILED" => ExecutionStatus.Failed,
        "TIMED_OUT" => ExecutionStatus.TimedOut,
        "ABORTED" => ExecutionStatus.Aborted,
        _ => throw new InvalidDataException($"Step Functions answered an unknown execution status '{status}'."),
    };

    public static string Wire(ExecutionStatus status) => status switch
    {
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => status.ToString().ToUpperInvariant(),
    };

    private static JsonObject? Details(JsonObject json) =>
        json.FirstOrDefault(p => p.Key.EndsWith("EventDetails", StringComparison.Ordinal)).Value as JsonObject;

    private static string? Text(JsonObject? details, string name) => details?[name]?.GetValue<string>();

    private static string? Resource(JsonObject? details) =>
        Text(details, "resourceType") is { } type ? $"{type}:{Text(details, "resource")}" : null;

    /// <summary>
    /// State events name their state; task events do not, so their state is the one the event
    /// chain (previousEventId) last entered, as far as this page reaches.
    /// </summary>
    private static string? StateName(JsonObject json, HistoryEventType type, Dictionary<long, JsonObject> byId)
    {
        if (type.ToString().StartsWith("Execution", StringComparison.Ordinal))
        {
            return null;
        }

        for (var current = json; current is not null;)
        {
            if (Text(Details(current), "name") is { } name)
            {
                return name;
            }

            var previous = current["previousEventId"]?.GetValue<long>() ?? 0;
            current = previous < current["id"]!.GetValue<long>() ? byId.GetValueOrDefault(previous) : null;
        }

        return null;
    }

    private static JsonObject? ParseObject(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
