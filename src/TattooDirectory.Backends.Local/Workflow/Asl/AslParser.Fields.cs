using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>This part: reading and checking single fields, Retriers and Catchers.</summary>
internal static partial class AslParser
{
    private sealed partial class Reader
    {
        private void Add(string where, string problem) => problems.Add($"{where}: {problem}");

        private T? Problem<T>(string where, string problem) where T : class
        {
            Add(where, problem);
            return null;
        }

        private static bool IsString(JsonNode? node, string value) =>
            node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == value;

        /// <summary>Refuses fields a state of this type does not have, naming the ones the executor knowingly leaves out.</summary>
        private void CheckFields(JsonObject obj, string where, IEnumerable<string> allowed)
        {
            var known = new HashSet<string>(allowed, StringComparer.Ordinal);
            foreach (var field in obj.Select(p => p.Key).Where(k => !known.Contains(k)))
            {
                Add($"{where}.{field}", Unsupported.Contains(field) ? "is not supported by the local executor." : "is not a field of this state.");
            }
        }

        private T Check<T>(JsonObject obj, string where, IEnumerable<string> fields, T state)
        {
            CheckFields(obj, where, ["Type", "Comment", .. fields]);
            return state;
        }

        /// <summary>Next, or End: true, and not both.</summary>
        private string? Flow(JsonObject obj, string where)
        {
            var next = Text(obj, "Next", where, required: false);
            var end = obj["End"] is { } e && e.GetValueKind() == JsonValueKind.True;
            if ((next is null) == !end)
            {
                Add(where, "needs either Next or \"End\": true.");
            }

            return next;
        }

        private string? Either(JsonObject obj, string preferred, string deprecated, string where)
        {
            var count = (obj.ContainsKey(preferred) ? 1 : 0) + (obj.ContainsKey(deprecated) ? 1 : 0);
            if (count != 1)
            {
                return Problem<string>(where, $"needs exactly one of {preferred} and {deprecated}.");
            }

            return obj.ContainsKey(preferred) ? preferred : deprecated;
        }

        private string? Text(JsonObject obj, string field, string where, bool required)
        {
            if (!obj.TryGetPropertyValue(field, out var node))
            {
                return required ? Problem<string>(where, $"{field} is required.") : null;
            }

            return node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : Problem<string>($"{where}.{field}", "must be a string.");
        }

        private int? Integer(JsonObject obj, string field, string where, int minimum)
        {
            if (!obj.TryGetPropertyValue(field, out var node))
            {
                return null;
            }

            if (node is JsonValue value && value.TryGetValue<int>(out var number) && number >= minimum)
            {
                return number;
            }

            Add($"{where}.{field}", $"must be an integer of at least {minimum}.");
            return null;
        }

        /// <summary>A path field: "$" when absent, null when given as null (InputPath, OutputPath: the state sees or outputs {}).</summary>
        private ReferencePath? Path(JsonObject obj, string field, string where)
        {
            if (!obj.TryGetPropertyValue(field, out var node))
            {
                return ReferencePath.Root;
            }

            if (node is null)
            {
                return null;
            }

            if (node.GetValueKind() != JsonValueKind.String)
            {
                return Problem<ReferencePath>($"{where}.{field}", "must be a path or null.");
            }

            return ReferencePath.TryParse(node.GetValue<string>(), out var path, out var problem) ? path : Problem<ReferencePath>($"{where}.{field}", problem + ".");
        }

        /// <summary>ResultPath places the result into the state's input, never into the Context Object.</summary>
        private ReferencePath? ResultPath(JsonObject obj, string field, string where)
        {
            var path = Path(obj, field, where);
            return path is { IsContext: true } ? Problem<ReferencePath>($"{where}.{field}", "cannot begin with '$$'.") : path;
        }

        private PayloadTemplate? Template(JsonObject obj, string field, string where) =>
            obj.TryGetPropertyValue(field, out var node) ? PayloadTemplate.Compile(node, $"{where}.{field}", problems) : null;

        private List<T> Items<T>(JsonObject obj, string field, string where, Func<JsonObject, string, bool, T?> read) where T : class
        {
            if (!obj.TryGetPropertyValue(field, out var node))
            {
                return [];
            }

            if (node is not JsonArray array)
            {
                Add($"{where}.{field}", "must be an array.");
                return [];
            }

            var items = new List<T>();
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{where}.{field}[{i}]";
                if (array[i] is not JsonObject item)
                {
                    Add(at, "must be an object.");
                }
                else if (read(item, at, i == array.Count - 1) is { } value)
                {
                    items.Add(value);
                }
            }

            return items;
        }

        private Retrier? ReadRetrier(JsonObject obj, string where, bool last)
        {
            CheckFields(obj, where, ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"]);
            var errors = ErrorEquals(obj, where, last);
            var backoff = 2.0;
            if (obj.TryGetPropertyValue("BackoffRate", out var rate) && (rate is not JsonValue r || !r.TryGetValue(out backoff) || backoff < 1.0))
            {
                Add($"{where}.BackoffRate", "must be a number of at least 1.0.");
            }

            var jitter = Text(obj, "JitterStrategy", where, required: false);
            if (jitter is not (null or "FULL" or "NONE"))
            {
                Add($"{where}.JitterStrategy", "must be FULL or NONE.");
            }

            return errors is null ? null : new Retrier(
                errors,
                Integer(obj, "IntervalSeconds", where, minimum: 1) ?? 1,
                Integer(obj, "MaxAttempts", where, minimum: 0) ?? 3,
                backoff,
                Integer(obj, "MaxDelaySeconds", where, minimum: 1),
                jitter == "FULL");
        }

        private Catcher? ReadCatcher(JsonObject obj, string where, bool last)
        {
            CheckFields(obj, where, ["ErrorEquals", "Next", "ResultPath", "Comment"]);
            var errors = ErrorEquals(obj, where, last);
            var next = Text(obj, "Next", where, required: true);
            var resultPath = ResultPath(obj, "ResultPath", where);
            return errors is null || next is null ? null : new Catcher(errors, next, resultPath);
        }

        /// <summary>A non-empty list of error names, where States.ALL stands alone in the last Retrier or Catcher.</summary>
        private List<string>? ErrorEquals(JsonObject obj, string where, bool last)
        {
            if (obj["ErrorEquals"] is not JsonArray { Count: > 0 } array || array.Any(e => e?.GetValueKind() != JsonValueKind.String))
            {
                return Problem<List<string>>($"{where}.ErrorEquals", "must be a non-empty array of error names.");
            }

            var errors = array.Select(e => e!.GetValue<string>()).ToList();
            if (errors.Contains(WorkflowErrors.All) && (errors.Count > 1 || !last))
            {
                Add($"{where}.ErrorEquals", $"{WorkflowErrors.All} must appear alone, in the last Retrier or Catcher.");
            }

            return errors;
        }
    }
}
