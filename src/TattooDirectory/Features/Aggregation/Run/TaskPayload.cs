using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>Reads the payloads aggregation.asl.json hands the tasks; a payload of the wrong shape is a bug in the definition, not a transient fault.</summary>
internal static class TaskPayload
{
    public const string BadPayload = "Aggregation.BadPayload";

    public static string RunId(JsonNode? payload) => String(payload, "runId");

    public static string String(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new WorkflowTaskException(BadPayload, $"'{property}' is missing or not a string.");

    public static string? OptionalString(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    public static int Int(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;
}
