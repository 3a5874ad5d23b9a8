using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// A call to one of the intrinsic functions the executor supports (States.Format, StringToJson,
/// JsonToString, Array, ArrayLength, ArrayGetItem, ArrayContains, MathAdd), parsed when the
/// definition loads. Arguments are 'strings' (with \' \{ \} \\ escapes), numbers, null, paths or
/// nested calls. A call that cannot apply to its values fails with States.IntrinsicFailure.
/// </summary>
internal sealed class IntrinsicFunction
{
    private static readonly Dictionary<string, (int Min, int Max, Func<IntrinsicFunction, JsonNode?[], JsonNode?> Apply)> Functions = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue, (call, values) => call.Format(values)),
        ["States.StringToJson"] = (1, 1, (_, values) => StringToJson(values[0])),
        ["States.JsonToString"] = (1, 1, (_, values) => values[0]?.ToJsonString() ?? "null"),
        ["States.Array"] = (0, int.MaxValue, (_, values) => new JsonArray([.. values.Select(v => v?.DeepClone())])),
        ["States.ArrayLength"] = (1, 1, (_, values) => AsArray(values[0], "States.ArrayLength").Count),
        ["States.ArrayGetItem"] = (2, 2, (_, values) => GetItem(values[0], values[1])),
        ["States.ArrayContains"] = (2, 2, (_, values) => AsArray(values[0], "States.ArrayContains").Any(item => JsonNode.DeepEquals(item, values[1]))),
        ["States.MathAdd"] = (2, 2, (_, values) => checked((int)(AsInteger(values[0], "States.MathAdd") + AsInteger(values[1], "States.MathAdd")))),
    };

    private readonly string _name;
    private readonly Argument[] _arguments;

    private IntrinsicFunction(string name, Argument[] arguments)
    {
        _name = name;
        _arguments = arguments;
    }

    public static bool TryParse(string text, out IntrinsicFunction call, out string problem)
    {
        var reader = new Reader(text);
        try
        {
            call = reader.ReadCall();
            reader.SkipSpaces();
            if (!reader.AtEnd)
            {
                throw new FormatException($"unexpected text after the call at position {reader.Position}");
            }

            problem = "";
            return true;
        }
        catch (FormatException e)
        {
            call = null!;
            problem = $"'{text}' is not a supported intrinsic function: {e.Message}";
            return false;
        }
    }

    public JsonNode? Evaluate(JsonNode? input, ContextObject context)
    {
        var values = _arguments.Select(a => a.Evaluate(input, context)).ToArray();
        try
        {
            return Functions[_name].Apply(this, values);
        }
        catch (OverflowException)
        {
            throw Failure($"{_name} overflowed.");
        }
    }

    private static StateFailure Failure(string cause) => new(WorkflowErrors.IntrinsicFailure, cause);

    private JsonNode Format(JsonNode?[] values)
    {
        // A literal template keeps its escapes so that \{ is a brace and {} a placeholder.
        var template = _arguments[0] is StringArgument literal ? literal.Raw
            : values[0] is JsonValue v && v.TryGetValue<string>(out var fromPath) ? fromPath
            : throw Failure("The first argument of States.Format must be a string.");
        var text = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '\\' && i + 1 < template.Length)
            {
                text.Append(template[++i]);
            }
            else if (template[i] == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= values.Length)
                {
                    throw Failure("States.Format has more {} placeholders than arguments.");
                }

                text.Append(FormatValue(values[next++]));
                i++;
            }
            else
            {
                text.Append(template[i]);
            }
        }

        return next == values.Length ? JsonValue.Create(text.ToString()) : throw Failure("States.Format has more arguments than {} placeholders.");
    }

    private static string FormatValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => throw Failure("States.Format cannot insert an object or an array."),
    };

    private static JsonNode? StringToJson(JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            throw Failure("States.StringToJson takes a string.");
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Failure("States.StringToJson was given a string that is not JSON.");
        }
    }

    private static JsonArray AsArray(JsonNode? value, string function) =>
        value as JsonArray ?? throw Failure($"The first argument of {function} must be an array.");

    private static long AsInteger(JsonNode? value, string function) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(v.ToJsonString(), CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
            ? (long)d
            : throw Failure($"{function} takes integers.");

    private static JsonNode? GetItem(JsonNode? array, JsonNode? index)
    {
        var items = AsArray(array, "States.ArrayGetItem");
        var at = AsInteger(index, "States.ArrayGetItem");
        return at >= 0 && at < items.Count ? items[(int)at]?.DeepClone() : throw Failure("States.ArrayGetItem's index is outside the array.");
    }

    private abstract class Argument
    {
        public abstract JsonNode? Evaluate(JsonNode? input, ContextObject context);
    }

    private sealed class StringArgument(string raw, string value) : Argument
    {
        public string Raw => raw;

        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) => JsonValue.Create(value);
    }

    private sealed class LiteralArgument(string? json) : Argument
    {
        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) => json is null ? null : JsonNode.Parse(json);
    }

    private sealed class PathArgument(ReferencePath path) : Argument
    {
        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) =>
            PayloadTemplate.TrySelect(path, input, context, out var value)
                ? value?.DeepClone()
                : throw StateFailure.Runtime($"The JSONPath '{path}' given to an intrinsic function could not be found in the input.");
    }

    private sealed class CallArgument(IntrinsicFunction call) : Argument
    {
        public override JsonNode? Evaluate(JsonNode? input, ContextObject context) => call.Evaluate(input, context);
    }

    private sealed class Reader(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public IntrinsicFunction ReadCall()
        {
            SkipSpaces();
            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '.' or '_'))
            {
                Position++;
            }

            var name = text[start..Position];
            if (!Functions.TryGetValue(name, out var signature))
            {
                throw new FormatException(name.Length == 0 ? "a function name was expected" : $"'{name}' is not a supported function");
            }

            Expect('(');
            var arguments = new List<Argument>();
            SkipSpaces();
            if (!AtEnd && text[Position] == ')')
            {
                Position++;
            }
            else
            {
                do
                {
                    arguments.Add(ReadArgument());
                    SkipSpaces();
                }
                while (TryTake(','));
                Expect(')');
            }

            if (arguments.Count < signature.Min || arguments.Count > signature.Max)
            {
                throw new FormatException($"{name} does not take {arguments.Count} argument(s)");
            }

            if (name == "States.JsonToString" && arguments[0] is not PathArgument)
            {
                throw new FormatException("States.JsonToString takes a path");
            }

            return new IntrinsicFunction(name, [.. arguments]);
        }

        private Argument ReadArgument()
        {
            SkipSpaces();
            if (AtEnd)
            {
                throw new FormatException("an argument was expected");
            }

            var c = text[Position];
            if (c == '\'')
            {
                return ReadString();
            }

            if (c == '$')
            {
                var start = Position;
                while (!AtEnd && text[Position] is not (',' or ')'))
                {
                    Position++;
                }

                var pathText = text[start..Position].TrimEnd();
                return ReferencePath.TryParse(pathText, out var path, out var problem) ? new PathArgument(path) : throw new FormatException(problem);
            }

            if (c == '-' || char.IsAsciiDigit(c) || text.AsSpan(Position).StartsWith("null", StringComparison.Ordinal))
            {
                var start = Position;
                while (!AtEnd && text[Position] is not (',' or ')') && !char.IsWhiteSpace(text[Position]))
                {
                    Position++;
                }

                var token = text[start..Position];
                return token == "null" ? new LiteralArgument(null)
                    : double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? new LiteralArgument(token)
                    : throw new FormatException($"'{token}' is not a number");
            }

            return new CallArgument(ReadCall());
        }

        private StringArgument ReadString()
        {
            var start = ++Position;
            var value = new StringBuilder();
            while (!AtEnd && text[Position] != '\'')
            {
                if (text[Position] == '\\')
                {
                    if (Position + 1 >= text.Length || text[Position + 1] is not ('\'' or '{' or '}' or '\\'))
                    {
                        throw new FormatException("a backslash must escape one of ' { } \\");
                    }

                    Position++;
                }

                value.Append(text[Position++]);
            }

            if (AtEnd)
            {
                throw new FormatException("an unterminated string");
            }

            var raw = text[start..Position];
            Position++;
            return new StringArgument(raw, value.ToString());
        }

        private bool TryTake(char c)
        {
            if (!AtEnd && text[Position] == c)
            {
                Position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (!TryTake(c))
            {
                throw new FormatException($"'{c}' was expected at position {Position}");
            }
        }
    }
}
