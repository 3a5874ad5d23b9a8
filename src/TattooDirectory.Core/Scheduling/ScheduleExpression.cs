using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cronos;

namespace TattooDirectory.Core.Scheduling;

/// <summary>
/// A schedule in the syntax of EventBridge rules, always in UTC: <c>cron(minutes hours day-of-month
/// month day-of-week year)</c> or <c>rate(value unit)</c>. Parsing is as strict as EventBridge's
/// PutRule, so a rule that runs locally also deploys.
/// </summary>
public abstract class ScheduleExpression
{
    private protected ScheduleExpression(string text) => Text = text;

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <exception cref="FormatException">not a valid expression; the message says which part is wrong and why.</exception>
    public static ScheduleExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Inside(text, "cron") is { } fields) return new CronSchedule(text, AwsCron.Parse(text, fields));
        if (Inside(text, "rate") is { } rate) return RateSchedule.Parse(text, rate);
        throw new FormatException($"'{text}' is not a schedule expression: write cron(minutes hours day-of-month month day-of-week year) or rate(value unit).");
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ScheduleExpression? expression, [NotNullWhen(false)] out string? error)
    {
        expression = null;
        error = null;
        if (text is null)
        {
            error = "A schedule expression is required.";
            return false;
        }

        try
        {
            expression = Parse(text);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, or null when there is none (a
    /// cron whose years are over, or a date that never comes such as 30 February). A rate counts
    /// from <paramref name="anchor"/> (its occurrences are anchor + k × interval, anchor cut to the
    /// minute) and from <paramref name="after"/> when none is given, as EventBridge counts a rate
    /// from the moment the rule is created; a cron ignores the anchor.
    /// </summary>
    public abstract DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset? anchor = null);

    public override string ToString() => Text;

    private static string? Inside(string text, string keyword) =>
        text.Length > keyword.Length + 2 && text.StartsWith(keyword + "(", StringComparison.Ordinal) && text.EndsWith(')')
            ? text[(keyword.Length + 1)..^1]
            : null;
}

/// <summary><c>cron(...)</c>: Cronos does the calendar arithmetic of the first five fields; the year field is checked here.</summary>
public sealed class CronSchedule : ScheduleExpression
{
    private readonly CronExpression _cron;
    private readonly AwsCron.YearSet _years;

    internal CronSchedule(string text, AwsCron.Parsed parsed)
        : base(text)
    {
        _cron = parsed.Cron;
        _years = parsed.Years;
    }

    public override DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset? anchor = null)
    {
        var from = after.ToUniversalTime();
        var inclusive = false;
        while (_cron.GetNextOccurrence(from, TimeZoneInfo.Utc, inclusive) is { } next)
        {
            if (_years.Contains(next.Year)) return next;
            // Skip the whole years the field leaves out rather than walking through their days.
            if (_years.FirstAfter(next.Year) is not { } year) return null;
            from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            inclusive = true;
        }

        return null;
    }
}

/// <summary><c>rate(value unit)</c>: a fixed interval of minutes, hours or days.</summary>
public sealed class RateSchedule : ScheduleExpression
{
    /// <summary>No documented ceiling exists; this one keeps every occurrence inside the calendar.</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromDays(36_500);

    private RateSchedule(string text, TimeSpan interval)
        : base(text) => Interval = interval;

    public TimeSpan Interval { get; }

    public override DateTimeOffset? NextAfter(DateTimeOffset after, DateTimeOffset? anchor = null)
    {
        var start = ToMinute((anchor ?? after).ToUniversalTime());
        var elapsed = after.UtcTicks - start.UtcTicks;
        // Floor division, so an anchor later than 'after' still lands on its own grid.
        var steps = (elapsed >= 0 ? elapsed / Interval.Ticks : -((-elapsed + Interval.Ticks - 1) / Interval.Ticks)) + 1;
        var ticks = start.UtcTicks + (steps * Interval.Ticks);
        return ticks <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    internal static RateSchedule Parse(string text, string inside)
    {
        if (char.IsWhiteSpace(inside[0]) || char.IsWhiteSpace(inside[^1])) throw Invalid(text, "no space may follow 'rate(' or come before ')'");
        var parts = inside.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw Invalid(text, "a rate has two fields, a value and a unit, as in rate(5 minutes)");
        }

        var (value, unit) = (parts[0], parts[1]);
        if (!value.All(char.IsAsciiDigit) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw Invalid(text, $"the value '{value}' must be a positive whole number");
        }

        var (singular, size) = unit switch
        {
            "minute" or "minutes" => ("minute", TimeSpan.FromMinutes(1)),
            "hour" or "hours" => ("hour", TimeSpan.FromHours(1)),
            "day" or "days" => ("day", TimeSpan.FromDays(1)),
            _ => throw Invalid(text, $"the unit '{unit}' must be one of minute, minutes, hour, hours, day, days"),
        };
        if (count == 1 && unit != singular) throw Invalid(text, $"a value of 1 takes the singular unit '{singular}'");
        if (count > 1 && unit == singular) throw Invalid(text, $"a value above 1 takes the plural unit '{singular}s'");
        if (count > LongestInterval.Ticks / size.Ticks) throw Invalid(text, $"the interval must be at most {LongestInterval.TotalDays:N0} days");
        return new RateSchedule(text, TimeSpan.FromTicks(count * size.Ticks));
    }

    private static DateTimeOffset ToMinute(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static FormatException Invalid(string text, string reason) => new($"{text} is not a valid schedule expression: {reason}.");
}
