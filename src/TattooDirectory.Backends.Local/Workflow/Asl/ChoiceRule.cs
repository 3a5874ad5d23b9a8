using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// A Choice Rule: And / Or / Not over rules, or a data test of the value at <c>Variable</c> with
/// one comparison operator (String/Numeric/Timestamp Equals, LessThan, GreaterThan, LessThanEquals,
/// GreaterThanEquals; BooleanEquals; each with a <c>…Path</c> variant; StringMatches; IsNull,
/// IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp). A comparison between values of the
/// wrong types is false; a Variable (or operand path) that is not in the input is a States.Runtime
/// error, except for IsPresent.
/// </summary>
internal abstract class ChoiceRule
{
    private static readonly string[] Relations = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];

    private static readonly HashSet<string> TypeTests = new(StringComparer.Ordinal)
    {
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    };

    /// <summary>Every comparison operator, by name, with the kind of value it compares and how.</summary>
    private static readonly Dictionary<string, (ValueKind Kind, string Relation)> Comparisons =
        new[] { ValueKind.String, ValueKind.Numeric, ValueKind.Timestamp }
            .SelectMany(kind => Relations.Select(relation => (Name: $"{kind}{relation}", Kind: kind, Relation: relation)))
            .Append((Name: "BooleanEquals", Kind: ValueKind.Boolean, Relation: "Equals"))
            .ToDictionary(c => c.Name, c => (c.Kind, c.Relation), StringComparer.Ordinal);

    private enum ValueKind
    {
        String,
        Numeric,
        Timestamp,
        Boolean,
    }

    public abstract bool Evaluate(JsonNode? input, ContextObject context);

    /// <summary>Compiles a rule, adding its problems to <paramref name="problems"/>. A top-level rule has a Next field, which the caller reads.</summary>
    public static ChoiceRule? Compile(JsonNode? node, string where, bool topLevel, List<string> problems)
    {
        if (node is not JsonObject rule)
        {
            problems.Add($"{where}: a choice rule must be an object.");
            return null;
        }

        string[] allowed = topLevel ? ["Next", "Comment"] : ["Comment"];
        if (!topLevel && rule.ContainsKey("Next"))
        {
            problems.Add($"{where}: a nested choice rule must not have Next.");
        }

        string[] booleans = ["And", "Or", "Not"];
        var operators = rule.Select(p => p.Key).Where(k => k != "Variable" && !allowed.Contains(k)).ToList();
        if (operators.Count != 1)
        {
            problems.Add($"{where}: a choice rule needs exactly one operator (found {(operators.Count == 0 ? "none" : string.Join(", ", operators))}).");
            return null;
        }

        var op = operators[0];
        if (booleans.Contains(op))
        {
            return rule.ContainsKey("Variable")
                ? Problem(problems, $"{where}: {op} does not take a Variable.")
                : CompileBoolean(op, rule[op], $"{where}.{op}", problems);
        }

        if (rule["Variable"] is not JsonValue variableText || !variableText.TryGetValue<string>(out var variableString))
        {
            return Problem(problems, $"{where}: a data-test rule needs a Variable path.");
        }

        if (!ReferencePath.TryParse(variableString, out var variable, out var pathProblem))
        {
            return Problem(problems, $"{where}.Variable: {pathProblem}.");
        }

        return CompileDataTest(variable, op, rule[op], $"{where}.{op}", problems);
    }

    private static ChoiceRule? CompileBoolean(string op, JsonNode? operand, string where, List<string> problems)
    {
        if (op == "Not")
        {
            return Compile(operand, where, topLevel: false, problems) is { } inner ? new NotRule(inner) : null;
        }

        if (operand is not JsonArray { Count: > 0 } rules)
        {
            return Problem(problems, $"{where}: must be a non-empty array of rules.");
        }

        var compiled = rules.Select((r, i) => Compile(r, $"{where}[{i}]", topLevel: false, problems)).ToList();
        return compiled.Any(r => r is null) ? null : new JunctionRule(op == "And", [.. compiled!]);
    }

    private static ChoiceRule? CompileDataTest(ReferencePath variable, string op, JsonNode? operand, string where, List<string> problems)
    {
        if (TypeTests.Contains(op))
        {
            return operand is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? new TypeTestRule(variable, op, b.GetValue<bool>())
                : Problem(problems, $"{where}: must be true or false.");
        }

        if (op == "StringMatches")
        {
            return operand is JsonValue s && s.TryGetValue<string>(out var pattern) && TryCompileMatch(pattern, out var regex)
                ? new MatchRule(variable, regex)
                : Problem(problems, $"{where}: must be a string where only \\* and \\\\ are escapes.");
        }

        var isPath = op.EndsWith("Path", StringComparison.Ordinal);
        if (!Comparisons.TryGetValue(isPath ? op[..^4] : op, out var comparison))
        {
            return Problem(problems, $"{where}: '{op}' is not a comparison operator the executor supports.");
        }

        if (isPath)
        {
            return operand is JsonValue p && p.TryGetValue<string>(out var text) && ReferencePath.TryParse(text, out var path, out _)
                ? new CompareRule(variable, comparison.Kind, comparison.Relation, null, path)
                : Problem(problems, $"{where}: must be a reference path.");
        }

        return OfKind(operand, comparison.Kind)
            ? new CompareRule(variable, comparison.Kind, comparison.Relation, operand!.DeepClone(), null)
            : Problem(problems, $"{where}: the value does not fit a {comparison.Kind} comparison.");
    }

    private static ChoiceRule? Problem(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }

    private static bool OfKind(JsonNode? value, ValueKind kind) => (kind, value?.GetValueKind()) switch
    {
        (ValueKind.String, JsonValueKind.String) => true,
        (ValueKind.Numeric, JsonValueKind.Number) => true,
        (ValueKind.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
        (ValueKind.Timestamp, JsonValueKind.String) => Timestamps.TryParse(value!.GetValue<string>(), out _),
        _ => false,
    };

    private static int Compare(JsonNode left, JsonNode right, ValueKind kind) => kind switch
    {
        ValueKind.String => string.CompareOrdinal(left.GetValue<string>(), right.GetValue<string>()),
        ValueKind.Numeric => double.Parse(left.ToJsonString(), CultureInfo.InvariantCulture).CompareTo(double.Parse(right.ToJsonString(), CultureInfo.InvariantCulture)),
        ValueKind.Timestamp => Timestamp(left).CompareTo(Timestamp(right)),
        _ => left.GetValue<bool>() == right.GetValue<bool>() ? 0 : 1,
    };

    private static DateTimeOffset Timestamp(JsonNode value) => Timestamps.TryParse(value.GetValue<string>(), out var t) ? t : default;

    private static bool TryCompileMatch(string pattern, out Regex regex)
    {
        var expression = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '\\'))
                {
                    regex = null!;
                    return false;
                }

                expression.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                expression.Append(pattern[i] == '*' ? ".*" : Regex.Escape(pattern[i].ToString()));
            }
        }

        regex = new Regex(expression.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return true;
    }

    private static JsonNode? Read(ReferencePath path, JsonNode? input, ContextObject context) =>
        PayloadTemplate.TrySelect(path, input, context, out var value)
            ? value
            : throw StateFailure.Runtime($"Invalid path '{path}': the choice state's condition path references a value that is not in the input.");

    private sealed class JunctionRule(bool all, ChoiceRule[] rules) : ChoiceRule
    {
        public override bool Evaluate(JsonNode? input, ContextObject context) =>
            all ? rules.All(r => r.Evaluate(input, context)) : rules.Any(r => r.Evaluate(input, context));
    }

    private sealed class NotRule(ChoiceRule rule) : ChoiceRule
    {
        public override bool Evaluate(JsonNode? input, ContextObject context) => !rule.Evaluate(input, context);
    }

    private sealed class TypeTestRule(ReferencePath variable, string test, bool expected) : ChoiceRule
    {
        public override bool Evaluate(JsonNode? input, ContextObject context)
        {
            if (test == "IsPresent")
            {
                return PayloadTemplate.TrySelect(variable, input, context, out _) == expected;
            }

            var value = Read(variable, input, context);
            var actual = test switch
            {
                "IsNull" => value is null,
                "IsNumeric" => OfKind(value, ValueKind.Numeric),
                "IsString" => OfKind(value, ValueKind.String),
                "IsBoolean" => OfKind(value, ValueKind.Boolean),
                _ => OfKind(value, ValueKind.Timestamp),
            };
            return actual == expected;
        }
    }

    private sealed class MatchRule(ReferencePath variable, Regex pattern) : ChoiceRule
    {
        public override bool Evaluate(JsonNode? input, ContextObject context) =>
            Read(variable, input, context) is JsonValue v && v.TryGetValue<string>(out var text) && pattern.IsMatch(text);
    }

    private sealed class CompareRule(ReferencePath variable, ValueKind kind, string relation, JsonNode? literal, ReferencePath? operandPath) : ChoiceRule
    {
        public override bool Evaluate(JsonNode? input, ContextObject context)
        {
            var value = Read(variable, input, context);
            var operand = operandPath is null ? literal : Read(operandPath, input, context);
            if (!OfKind(value, kind) || !OfKind(operand, kind))
            {
                return false;
            }

            var order = Compare(value!, operand!, kind);
            return relation switch
            {
                "Equals" => order == 0,
                "LessThan" => order < 0,
                "GreaterThan" => order > 0,
                "LessThanEquals" => order <= 0,
                _ => order >= 0,
            };
        }
    }
}

/// <summary>The States Language's timestamps: RFC 3339 with an uppercase T and a Z or numeric offset.</summary>
internal static partial class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
