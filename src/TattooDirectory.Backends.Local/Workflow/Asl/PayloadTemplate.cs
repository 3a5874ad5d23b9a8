using System.Text.Json.Nodes;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// A Payload Template (Parameters, ItemSelector, ResultSelector), compiled when the definition
/// loads: a field whose name ends in <c>.$</c> takes its value from a path into the input, a
/// <c>$$</c> path into the Context Object, or an intrinsic function; the rest is copied. Objects are
/// processed however deeply nested; arrays are copied as they are, as on Step Functions.
/// </summary>
internal sealed class PayloadTemplate
{
    private readonly ObjectNode _root;

    private PayloadTemplate(ObjectNode root) => _root = root;

    /// <summary>Compiles <paramref name="value"/>, adding what is wrong with it to <paramref name="problems"/>.</summary>
    public static PayloadTemplate? Compile(JsonNode? value, string where, List<string> problems)
    {
        if (value is not JsonObject obj)
        {
            problems.Add($"{where}: a payload template must be a JSON object.");
            return null;
        }

        return new PayloadTemplate(CompileObject(obj, where, problems));
    }

    public JsonObject Evaluate(JsonNode? input, ContextObject context) => _root.Evaluate(input, context);

    /// <summary>Reads a path the way a template, an intrinsic argument or a Choice rule does: from the data, or from the Context Object for <c>$$</c>.</summary>
    public static bool TrySelect(ReferencePath path, JsonNode? input, ContextObject context, out JsonNode? value) =>
        path.TrySelect(path.IsContext ? context.Json : input, out value);

    private static ObjectNode CompileObject(JsonObject obj, string where, List<string> problems)
    {
        var fields = new List<(string Name, Node Value)>();
        foreach (var (key, value) in obj)
        {
            var field = $"{where}.{key}";
            if (!key.EndsWith(".$", StringComparison.Ordinal))
            {
                fields.Add((key, value is JsonObject nested ? CompileObject(nested, field, problems) : new LiteralNode(value)));
                continue;
            }

            var name = key[..^2];
            if (value is not JsonValue text || !text.TryGetValue<string>(out var expression))
            {
                problems.Add($"{field}: a field ending in '.$' must hold a path or an intrinsic function as a string.");
                continue;
            }

            if (obj.ContainsKey(name))
            {
                problems.Add($"{field}: '{name}' appears twice once '.$' is stripped.");
            }

            if (expression.StartsWith('$'))
            {
                if (ReferencePath.TryParse(expression, out var path, out var problem))
                {
                    fields.Add((name, new PathNode(path, key)));
                }
                else
                {
                    problems.Add($"{field}: {problem}.");
                }
            }
            else if (IntrinsicFunction.TryParse(expression, out var call, out var problem))
            {
                fields.Add((name, new IntrinsicNode(call)));
            }
            else
            {
                problems.Add($"{field}: {problem}.");
            }
        }

        return new ObjectNode(fields);
    }

    private abstract class Node
    {
        public abstract JsonNode? Evaluate(JsonNode? input, ContextObject context);
    }

    private sealed class ObjectNode(List<(string Name, Node Value)> fields) : Node
    {
        public override JsonObject Evaluate(JsonNode? input, ContextObject context)
        {
            var result = new JsonObject();
            foreach (var (name, value) in fields)
            {
                result[name] = value.Evaluate(input, context);
            }

            return result;
        }
    }

    /// <summary>Kept as text: a parsed node materialises lazily and Map iterations evaluate templates at the same time.</summary>
    private sealed class LiteralNode(JsonNode? value) : Node
    {
        private readonly string _json = value?.ToJsonString() ?? "null";

        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) => JsonNode.Parse(_json);
    }

    private sealed class PathNode(ReferencePath path, string field) : Node
    {
        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) =>
            TrySelect(path, input, context, out var value)
                ? value?.DeepClone()
                : throw StateFailure.Runtime($"The JSONPath '{path}' specified for the field '{field}' could not be found in the input.");
    }

    private sealed class IntrinsicNode(IntrinsicFunction call) : Node
    {
        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) => call.Evaluate(input, context);
    }
}
