using Microsoft.Extensions.Options;
using TattooDirectory.Core.Scheduling;

namespace TattooDirectory.Features.Scheduling;

/// <summary>The scheduler's rules, bound from <c>Scheduling:Rules:&lt;name&gt;</c>.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>The nightly aggregation run of product.md §7.</summary>
    public const string AggregationDaily = "aggregation-daily";

    /// <summary>Rules by name. Configuration adds rules and changes or disables this default one; it cannot remove it.</summary>
    public Dictionary<string, ScheduleRuleOptions> Rules { get; set; } = new(StringComparer.Ordinal)
    {
        [AggregationDaily] = new ScheduleRuleOptions { Expression = "cron(0 2 * * ? *)", Target = "aggregation" },
    };

    /// <summary>
    /// The longest the scheduler sleeps without looking at the store: how soon it notices a switch
    /// made by another instance, or a claim a dead one left behind.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <exception cref="ArgumentException">a rule that is not valid (the validator reports them all on start).</exception>
    /// <exception cref="FormatException">an expression that is not valid.</exception>
    public IReadOnlyList<ScheduleRule> ToRules() =>
        [.. Rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.ToRule(r.Key))];
}

public sealed class ScheduleRuleOptions
{
    /// <summary><c>cron(minutes hours day-of-month month day-of-week year)</c> or <c>rate(value unit)</c>, in UTC.</summary>
    public string? Expression { get; set; }

    /// <summary>The state machine the rule starts.</summary>
    public string? Target { get; set; }

    /// <summary>The execution input as JSON text; <c>{}</c> when unset.</summary>
    public string? Input { get; set; }

    /// <summary>Whether the rule fires until an operator says otherwise from the admin API.</summary>
    public bool Enabled { get; set; } = true;

    internal ScheduleRule ToRule(string name) =>
        new(name, ScheduleExpression.Parse(Expression ?? throw new FormatException("Expression is required.")), Target ?? "", Input, Enabled);
}

/// <summary>Checks every rule on start, so a typo in an expression stops the app with a message naming the rule.</summary>
internal sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero) failures.Add($"{SchedulingOptions.Section}:PollInterval must be positive.");
        foreach (var (rule, settings) in options.Rules)
        {
            try
            {
                settings.ToRule(rule);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                failures.Add($"{SchedulingOptions.Section}:Rules:{rule}: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
