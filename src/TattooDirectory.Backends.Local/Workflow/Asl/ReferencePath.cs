using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// A Reference Path of the States Language: <c>$</c>, then <c>.name</c>, <c>['name']</c> and
/// <c>[index]</c> steps, identifying exactly one node; <c>$$</c> starts a path into the Context Object.
/// JsonPath's other operators (wildcards, slices, filters, deep scan) are refused when the definition
/// loads, so every path the executor accepts means the same on Step Functions.
/// </summary>
internal sealed class ReferencePath
{
    public static readonly ReferencePath Root = new("$", isContext: false, []);

    private readonly object[] _steps;

    private ReferencePath(string text, bool isContext, object[] steps)
    {
        Text = text;
        IsContext = isContext;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>The path starts with <c>$$</c>: it reads the Context Object, not the state's data.</summary>
    public bool IsContext { get; }

    public bool IsRoot => _steps.Length == 0;

    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/>, or says why it is not a reference path this executor supports.</summary>
    public static bool TryParse(string text, out ReferencePath path, out string problem)
    {
        path = Root;
        problem = "";
        if (!text.StartsWith('$'))
        {
            problem = $"'{text}' is not a path: paths begin with '$'";
            return false;
        }

        var isContext = text.StartsWith("$$", StringComparison.Ordinal);
        var steps = new List<object>();
        var i = isContext ? 2 : 1;
        while (i < text.Length)
        {
            if (!TryReadStep(text, ref i, steps, out problem))
            {
                problem = $"'{text}' is not a supported reference path: {problem}";
                return false;
            }
        }

        path = new ReferencePath(text, isContext, [.. steps]);
        return true;
    }

    /// <summary>The node the path names, if the data has it (a JSON null is a node).</summary>
    public bool TrySelect(JsonNode? data, out JsonNode? value)
    {
        value = data;
        foreach (var step in _steps)
        {
            switch (step)
            {
                case string name when value is JsonObject obj && obj.TryGetPropertyValue(name, out var child):
                    value = child;
                    break;
                case int index when value is JsonArray array && index < array.Count:
                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="target"/> with <paramref name="value"/> placed where the path points, as
    /// ResultPath places a result: missing objects on the way are created, an existing field is
    /// replaced. The target is not modified.
    /// </summary>
    /// <exception cref="StateFailure">States.ResultPathMatchFailure when the data on the way is not an object (or array with that index).</exception>
    public JsonNode? Put(JsonNode? target, JsonNode? value)
    {
        if (IsRoot)
        {
            return value?.DeepClone();
        }

        var copy = target?.DeepClone();
        var current = copy;
        for (var i = 0; i < _steps.Length; i++)
        {
            var last = i == _steps.Length - 1;
            switch (_steps[i], current)
            {
                case (string name, JsonObject obj):
                    if (last)
                    {
                        obj[name] = value?.DeepClone();
                    }
                    else if (!obj.TryGetPropertyValue(name, out var child) || child is null)
                    {
                        obj[name] = current = new JsonObject();
                    }
                    else
                    {
                        current = child;
                    }

                    break;
                case (int index, JsonArray array) when index < array.Count:
                    if (last)
                    {
                        array[index] = value?.DeepClone();
                    }
                    else
                    {
                        current = array[index];
                    }

                    break;
                default:
                    throw new StateFailure(WorkflowErrors.ResultPathMatchFailure,
                        $"Unable to apply ResultPath '{Text}': the input does not have an object (or array element) where the path goes.");
            }
        }

        return copy;
    }

    private static bool TryReadStep(string text, ref int i, List<object> steps, out string problem)
    {
        problem = "";
        if (text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && text[i] is not ('.' or '['))
            {
                i++;
            }

            var name = text[start..i];
            if (name.Length == 0 || name.AsSpan().IndexOfAny("*@?,:()\\'\" ") >= 0)
            {
                problem = name.Length == 0 ? "an empty field name (deep scan '..' is not supported)" : $"the field name '{name}' uses JsonPath operators or escapes";
                return false;
            }

            steps.Add(name);
            return true;
        }

        if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '\'')
        {
            var close = text.IndexOf("']", i + 2, StringComparison.Ordinal);
            if (close < 0 || text.AsSpan(i + 2, close - i - 2).Contains('\''))
            {
                problem = "an unterminated ['name'] step";
                return false;
            }

            steps.Add(text[(i + 2)..close]);
            i = close + 2;
            return true;
        }

        if (text[i] == '[')
        {
            var close = text.IndexOf(']', i);
            var digits = close < 0 ? "" : text[(i + 1)..close];
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
                || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                problem = "only [n] with a non-negative index and ['name'] are supported inside brackets";
                return false;
            }

            steps.Add(index);
            i = close + 1;
            return true;
        }

        problem = $"unexpected '{text[i]}' at position {i}";
        return false;
    }
}
