using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TattooDirectory.Core.Scheduling;

/// <summary>
/// A scheduled rule as EventBridge has it: when (<see cref="Expression"/>), what it starts (the state
/// machine <see cref="Target"/> with the constant <see cref="Input"/>), and whether it is on.
/// <see cref="Enabled"/> is the configured default; an operator's choice, once made, overrides it.
/// </summary>
public sealed partial record ScheduleRule
{
    /// <param name="name">1 – 64 letters, digits, '.', '-' or '_' (EventBridge's rule names).</param>
    /// <param name="target">the state machine to start (Step Functions names: 1 – 80 characters, no whitespace or special characters).</param>
    /// <param name="input">the execution input, a JSON text; <c>{}</c> when null.</param>
    /// <exception cref="ArgumentException">a name, target or input that is not valid.</exception>
    public ScheduleRule(string name, ScheduleExpression expression, string target, string? input = null, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a rule name: 1–64 letters, digits, '.', '-' or '_'.", nameof(name));
        if (target is null || !TargetPattern().IsMatch(target)) throw new ArgumentException($"'{target}' is not a state machine name: 1–80 letters, digits, '-' or '_'.", nameof(target));
        Name = name;
        Expression = expression;
        Target = target;
        Input = ValidInput(input ?? "{}");
        Enabled = enabled;
    }

    public string Name { get; }
    public ScheduleExpression Expression { get; }
    public string Target { get; }
    public string Input { get; }
    public bool Enabled { get; }

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>
    /// The execution name of the occurrence due at <paramref name="occurrence"/>: the same on every
    /// instance and after every restart, so starting it twice finds the first execution.
    /// </summary>
    public string ExecutionName(DateTimeOffset occurrence) =>
        $"{Name}-{occurrence.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}";

    private static string ValidInput(string input)
    {
        try
        {
            using var _ = JsonDocument.Parse(input);
            return input;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The input is not JSON: {e.Message}", nameof(input), e);
        }
    }

    // 64 + "-" + 14 characters of time stay within the 80 an execution name may have.
    [GeneratedRegex(@"^[A-Za-z0-9._\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetPattern();
}
