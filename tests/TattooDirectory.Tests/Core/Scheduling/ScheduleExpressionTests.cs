using System.Globalization;
using TattooDirectory.Core.Scheduling;

namespace TattooDirectory.Tests.Core.Scheduling;

public sealed class ScheduleExpressionTests
{
    [Theory]
    // Daily at 02:00 UTC, strictly after the given time.
    [InlineData("cron(0 2 * * ? *)", "2026-11-27T09:00Z", "2026-11-28T02:00Z")]
    [InlineData("cron(0 2 * * ? *)", "2026-11-28T02:00Z", "2026-11-29T02:00Z")]
    [InlineData("cron(0 2 * * ? *)", "2026-11-28T01:59:59.999Z", "2026-11-28T02:00Z")]
    // Month and year ends, leap years.
    [InlineData("cron(0 0 L * ? *)", "2026-02-10T00:00Z", "2026-02-28T00:00Z")]
    [InlineData("cron(0 0 L * ? *)", "2028-02-10T00:00Z", "2028-02-29T00:00Z")]
    [InlineData("cron(0 0 31 * ? *)", "2026-04-01T00:00Z", "2026-05-31T00:00Z")]
    [InlineData("cron(30 23 31 12 ? *)", "2026-12-31T23:30Z", "2027-12-31T23:30Z")]
    [InlineData("cron(0 0 1 * ? *)", "2026-12-31T23:59Z", "2027-01-01T00:00Z")]
    // UTC throughout: the last Sunday of March (a UK clock change) is an ordinary day.
    [InlineData("cron(30 1 * * ? *)", "2026-03-29T00:00Z", "2026-03-29T01:30Z")]
    // Day-of-week counts Sunday as 1; names in any case; ranges.
    [InlineData("cron(0 9 ? * 1 *)", "2026-11-27T10:00Z", "2026-11-29T09:00Z")]
    [InlineData("cron(0 9 ? * 2 *)", "2026-11-27T10:00Z", "2026-11-30T09:00Z")]
    [InlineData("cron(0 9 ? * MON-FRI *)", "2026-11-27T10:00Z", "2026-11-30T09:00Z")]
    [InlineData("cron(0 9 ? * sat,Sun *)", "2026-11-27T10:00Z", "2026-11-28T09:00Z")]
    // A range that runs backwards wraps round the week: Friday to Monday.
    [InlineData("cron(0 9 ? * FRI-MON *)", "2026-11-24T10:00Z", "2026-11-27T09:00Z")]
    // L, W and #.
    [InlineData("cron(0 12 ? * 6#3 *)", "2026-11-01T00:00Z", "2026-11-20T12:00Z")]
    [InlineData("cron(0 12 ? * 6L *)", "2026-11-01T00:00Z", "2026-11-27T12:00Z")]
    [InlineData("cron(0 12 ? * FRIL *)", "2026-11-01T00:00Z", "2026-11-27T12:00Z")]
    [InlineData("cron(0 12 ? * L *)", "2026-11-27T13:00Z", "2026-11-28T12:00Z")]
    [InlineData("cron(0 8 15W * ? *)", "2026-08-01T00:00Z", "2026-08-14T08:00Z")]
    [InlineData("cron(0 8 LW * ? *)", "2026-02-01T00:00Z", "2026-02-27T08:00Z")]
    // Steps: start/step, */step, range/step, and a hour range wrapping past midnight.
    [InlineData("cron(1/10 * * * ? *)", "2026-11-27T10:00Z", "2026-11-27T10:01Z")]
    [InlineData("cron(1/10 * * * ? *)", "2026-11-27T10:01Z", "2026-11-27T10:11Z")]
    [InlineData("cron(*/20 8-10 * * ? *)", "2026-11-27T10:40Z", "2026-11-28T08:00Z")]
    [InlineData("cron(0 22-2/2 * * ? *)", "2026-11-27T23:00Z", "2026-11-28T00:00Z")]
    [InlineData("cron(0 22-2/2 * * ? *)", "2026-11-28T00:30Z", "2026-11-28T02:00Z")]
    [InlineData("cron(0 6,18 * * ? *)", "2026-11-27T07:00Z", "2026-11-27T18:00Z")]
    [InlineData("cron(0 0 1 JAN,jul ? *)", "2026-02-01T00:00Z", "2026-07-01T00:00Z")]
    [InlineData("cron(0 0 1 1/5 ? *)", "2026-02-01T00:00Z", "2026-06-01T00:00Z")]
    // The year field.
    [InlineData("cron(0 0 1 1 ? 2028)", "2026-11-27T00:00Z", "2028-01-01T00:00Z")]
    [InlineData("cron(0 0 29 2 ? 2027,2032)", "2026-11-27T00:00Z", "2032-02-29T00:00Z")]
    [InlineData("cron(0 0 1 1 ? 2026/4)", "2026-06-01T00:00Z", "2030-01-01T00:00Z")]
    [InlineData("cron(0 2 * * ? 2026-2027)", "2027-12-31T02:00Z", null)]
    [InlineData("cron(0 2 * * ? 2020-2025)", "2026-11-27T09:00Z", null)]
    [InlineData("cron(0 0 29 2 ? 2027)", "2026-11-27T00:00Z", null)]
    [InlineData("cron(0 0 30 2 ? *)", "2026-11-27T00:00Z", null)]
    public void A_cron_fires_next_at_the_first_matching_minute_after_the_given_time(string expression, string after, string? expected)
    {
        var next = ScheduleExpression.Parse(expression).NextAfter(At(after));
        Assert.Equal(expected is null ? null : At(expected), next);
    }

    [Theory]
    [InlineData("rate(5 minutes)", "2026-11-27T09:00:30Z", null, "2026-11-27T09:05Z")]
    [InlineData("rate(1 minute)", "2026-11-27T09:00Z", null, "2026-11-27T09:01Z")]
    [InlineData("rate(1 hour)", "2026-11-27T09:00Z", "2026-11-27T09:00Z", "2026-11-27T10:00Z")]
    // With an anchor the occurrences stay on its grid, however far away 'after' is.
    [InlineData("rate(1 day)", "2026-12-01T15:00Z", "2026-11-27T09:00Z", "2026-12-02T09:00Z")]
    [InlineData("rate(12 hours)", "2026-11-27T20:59Z", "2026-11-27T09:00Z", "2026-11-27T21:00Z")]
    [InlineData("rate(12 hours)", "2026-11-27T21:00Z", "2026-11-27T09:00Z", "2026-11-28T09:00Z")]
    [InlineData("rate(2 hours)", "2026-11-27T05:30Z", "2026-11-27T09:00Z", "2026-11-27T07:00Z")]
    [InlineData("rate(30 days)", "2026-11-27T09:00Z", "2026-11-27T09:00:45Z", "2026-12-27T09:00Z")]
    public void A_rate_fires_at_whole_intervals_from_its_anchor(string expression, string after, string? anchor, string expected)
    {
        var next = ScheduleExpression.Parse(expression).NextAfter(At(after), anchor is null ? null : At(anchor));
        Assert.Equal(At(expected), next);
    }

    [Fact]
    public void A_rate_counts_minutes_hours_and_days()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), Rate("rate(90 minutes)"));
        Assert.Equal(TimeSpan.FromHours(1), Rate("rate(1 hour)"));
        Assert.Equal(TimeSpan.FromDays(7), Rate("rate(7 days)"));

        static TimeSpan Rate(string text) => Assert.IsType<RateSchedule>(ScheduleExpression.Parse(text)).Interval;
    }

    [Theory]
    [InlineData("cron(0 2 * * * *)", "day-of-month and day-of-week cannot both be given: put '?' in one of them")]
    [InlineData("cron(0 2 * * MON *)", "day-of-month and day-of-week cannot both be given")]
    [InlineData("cron(0 2 ? * ? *)", "day-of-month and day-of-week cannot both be '?'")]
    [InlineData("cron(0 2 * * ?)", "cron has 6 fields (minutes hours day-of-month month day-of-week year), this one has 5")]
    [InlineData("cron(0 2 * * ? * *)", "this one has 7")]
    [InlineData("cron( 0 2 * * ? *)", "no space may follow 'cron(' or come before ')'")]
    [InlineData("rate(5 minutes )", "no space may follow 'rate(' or come before ')'")]
    [InlineData("cron(60 2 * * ? *)", "minutes '60': the value '60' must be a number from 0 to 59")]
    [InlineData("cron(0 24 * * ? *)", "hours '24': the value '24' must be a number from 0 to 23")]
    [InlineData("cron(0 2 0 * ? *)", "day-of-month '0': the value '0' must be a number from 1 to 31")]
    [InlineData("cron(0 2 ? 13 MON *)", "month '13': the value '13' must be a number from 1 to 12 or a name JAN-DEC")]
    [InlineData("cron(0 2 ? * 0 *)", "day-of-week '0': the value '0' must be a number from 1 to 7 or a name SUN-SAT")]
    [InlineData("cron(0 2 ? * MONDAY *)", "the value 'MONDAY' must be a number from 1 to 7 or a name SUN-SAT")]
    [InlineData("cron(0 2 * * ? 1969)", "year '1969': the value '1969' must be a number from 1970 to 2199")]
    [InlineData("cron(0 2 * * ? 2200)", "year '2200'")]
    [InlineData("cron(0 2 * * ? 2030-2026)", "year '2030-2026': the range 2030-2026 runs backwards")]
    [InlineData("cron(0 2 ? * 1/2 *)", "day-of-week '1/2': '/' is not allowed; day-of-week takes SUN-SAT, 1-7 and , - * ? L #")]
    [InlineData("cron(L 2 * * ? *)", "minutes 'L': 'L' is not allowed; minutes takes 0-59 and , - * /")]
    [InlineData("cron(0 2 * JAN ? W)", "year 'W': 'W' is not allowed")]
    [InlineData("cron(0 2 ? * 3#1,6#3 *)", "day-of-week '3#1,6#3': an expression with '#' must be the only one in the field")]
    [InlineData("cron(0 2 ? * 3#6 *)", "'#' takes a day and its instance in the month from 1 to 5")]
    [InlineData("cron(0 2 ? * 8#1 *)", "day-of-week '8#1': the value '8' must be a number from 1 to 7")]
    [InlineData("cron(0 2 ? * 2-6L *)", "day-of-week '2-6L': L stands alone (Saturday) or after one day")]
    [InlineData("cron(0 2 L,15 * ? *)", "day-of-month 'L,15': L and W stand alone")]
    [InlineData("cron(0 2 1-5W * ? *)", "day-of-month '1-5W': L and W stand alone")]
    [InlineData("cron(0 2 32W * ? *)", "day-of-month '32W': the value '32' must be a number from 1 to 31")]
    [InlineData("cron(0 2 ?,1 * ? *)", "day-of-month '?,1': '?' stands alone, meaning any day")]
    [InlineData("cron(0/0 2 * * ? *)", "minutes '0/0': the step after '/' '0' must be a number from 1 to 59")]
    [InlineData("cron(*/60 2 * * ? *)", "the step after '/' '60' must be a number from 1 to 59")]
    [InlineData("cron(0 2 1,,2 * ? *)", "day-of-month '1,,2': the list has an empty entry")]
    [InlineData("cron(0 2 1- * ? *)", "day-of-month '1-': the value '' must be a number from 1 to 31")]
    [InlineData("rate(1 hours)", "a value of 1 takes the singular unit 'hour'")]
    [InlineData("rate(5 hour)", "a value above 1 takes the plural unit 'hours'")]
    [InlineData("rate(5 minute)", "the plural unit 'minutes'")]
    [InlineData("rate(1 days)", "the singular unit 'day'")]
    [InlineData("rate(0 minutes)", "the value '0' must be a positive whole number")]
    [InlineData("rate(-1 minutes)", "the value '-1' must be a positive whole number")]
    [InlineData("rate(1.5 hours)", "the value '1.5' must be a positive whole number")]
    [InlineData("rate(5 weeks)", "the unit 'weeks' must be one of minute, minutes, hour, hours, day, days")]
    [InlineData("rate(5 Minutes)", "the unit 'Minutes' must be one of")]
    [InlineData("rate(5minutes)", "a rate has two fields, a value and a unit")]
    [InlineData("rate(5 minutes later)", "a rate has two fields")]
    [InlineData("rate(36501 days)", "the interval must be at most 36,500 days")]
    [InlineData("rate(99999999999999999999 days)", "must be a positive whole number")]
    [InlineData("cron (0 2 * * ? *)", "is not a schedule expression: write cron(minutes hours day-of-month month day-of-week year) or rate(value unit)")]
    [InlineData("CRON(0 2 * * ? *)", "is not a schedule expression")]
    [InlineData(" cron(0 2 * * ? *)", "is not a schedule expression")]
    [InlineData("cron()", "is not a schedule expression")]
    [InlineData("0 2 * * ?", "is not a schedule expression")]
    [InlineData("", "is not a schedule expression")]
    public void An_invalid_expression_is_refused_with_the_reason(string expression, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ScheduleExpression.Parse(expression));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(ScheduleExpression.TryParse(expression, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Theory]
    [InlineData("cron(0 2 * * ? *)")]
    [InlineData("cron(0 10 * * ? *)")]
    [InlineData("cron(15 12 * * ? *)")]
    [InlineData("cron(0 18 ? * MON-FRI *)")]
    [InlineData("cron(0 8 1 * ? *)")]
    [InlineData("cron(0/15 * * * ? *)")]
    [InlineData("cron(0/10 * ? * MON-FRI *)")]
    [InlineData("cron(0/5 8-17 ? * MON-FRI *)")]
    [InlineData("cron(0 9 ? * 2#1 *)")]
    [InlineData("cron(0 9 ? JAN/2 MON *)")]
    [InlineData("cron(0 0 ? * 1-7 2026-2030,2040)")]
    [InlineData("cron(0  2  *  *  ?  *)")]
    [InlineData("rate(1 minute)")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(36500 days)")]
    public void Valid_expressions_parse_and_keep_their_text(string expression)
    {
        Assert.True(ScheduleExpression.TryParse(expression, out var parsed, out var error), error);
        Assert.Equal(expression, parsed.Text);
        Assert.NotNull(parsed.NextAfter(At("2026-11-27T09:00Z")));
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
