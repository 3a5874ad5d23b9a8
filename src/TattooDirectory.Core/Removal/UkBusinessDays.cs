using System.Collections.Frozen;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// Business days as the removal SLA counts them: Monday to Friday on the UK clock, minus the
/// England &amp; Wales bank holidays. The holidays are a fixed table for 2026–2027 (gov.uk's list,
/// substitute days included); outside those years only weekends are skipped, which errs towards
/// alarming early, never late.
/// </summary>
public static class UkBusinessDays
{
    private static readonly TimeZoneInfo UkTime = FindUkTime();

    private static readonly FrozenSet<DateOnly> BankHolidays = new DateOnly[]
    {
        new(2026, 1, 1), new(2026, 4, 3), new(2026, 4, 6), new(2026, 5, 4), new(2026, 5, 25), new(2026, 8, 31), new(2026, 12, 25), new(2026, 12, 28),
        new(2027, 1, 1), new(2027, 3, 26), new(2027, 3, 29), new(2027, 5, 3), new(2027, 5, 31), new(2027, 8, 30), new(2027, 12, 27), new(2027, 12, 28),
    }.ToFrozenSet();

    public static bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !BankHolidays.Contains(date);

    /// <summary>
    /// How many business days passed from <paramref name="from"/> to <paramref name="to"/>, with
    /// fractions: a request received on Friday at 09:00 has waited 0.625 by Monday morning and 3
    /// on Wednesday at 09:00. Days are measured on the wall clock, so a clock change does not
    /// make a business day 23 or 25 hours long.
    /// </summary>
    public static double Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return 0;
        var start = TimeZoneInfo.ConvertTime(from, UkTime).DateTime;
        var end = TimeZoneInfo.ConvertTime(to, UkTime).DateTime;
        var total = 0.0;
        for (var day = start.Date; day < end; day = day.AddDays(1))
        {
            if (!IsBusinessDay(DateOnly.FromDateTime(day))) continue;
            var next = day.AddDays(1);
            total += ((end < next ? end : next) - (start > day ? start : day)).TotalDays;
        }
        return total;
    }

    private static TimeZoneInfo FindUkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A container without time zone data: UTC is the UK's winter time and an hour off in summer.
            return TimeZoneInfo.Utc;
        }
    }
}
