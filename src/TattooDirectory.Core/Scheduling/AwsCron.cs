using System.Globalization;
using Cronos;

namespace TattooDirectory.Core.Scheduling;

/// <summary>
/// Reads the six fields of an EventBridge cron expression and rewrites the first five for Cronos.
/// Every list, range and step is expanded here into plain values, so Cronos only ever sees numbers
/// and its own L, W and # forms: AWS numbers the days of the week 1–7 from Sunday where Cronos
/// counts 0–6, AWS requires '?' where Cronos treats it as '*', and the year field is not Cronos's.
/// </summary>
internal static class AwsCron
{
    internal sealed record Parsed(CronExpression Cron, YearSet Years);

    private sealed record Field(string Name, int Min, int Max, string Takes, bool Steps = true, string[]? Names = null)
    {
        public int Span => Max - Min + 1;
    }

    private static readonly Field Minutes = new("minutes", 0, 59, ", - * /");
    private static readonly Field Hours = new("hours", 0, 23, ", - * /");
    private static readonly Field DayOfMonth = new("day-of-month", 1, 31, ", - * ? / L W");
    private static readonly Field Month = new("month", 1, 12, ", - * /", Names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]);
    private static readonly Field DayOfWeek = new("day-of-week", 1, 7, ", - * ? L #", Steps: false, Names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);
    private static readonly Field Year = new("year", YearSet.First, YearSet.Last, ", - * /");

    /// <exception cref="FormatException">the fields are not a valid EventBridge cron expression.</exception>
    public static Parsed Parse(string text, string inside)
    {
        if (char.IsWhiteSpace(inside[0]) || char.IsWhiteSpace(inside[^1])) throw Invalid(text, "no space may follow 'cron(' or come before ')'");
        var fields = inside.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw Invalid(text, $"cron has 6 fields (minutes hours day-of-month month day-of-week year), this one has {fields.Length}");
        }

        var (dayOfMonth, dayOfWeek) = (fields[2], fields[4]);
        if ((dayOfMonth == "?") == (dayOfWeek == "?"))
        {
            throw Invalid(text, dayOfMonth == "?"
                ? "day-of-month and day-of-week cannot both be '?': one of them says which days"
                : "day-of-month and day-of-week cannot both be given: put '?' in one of them");
        }

        var cron = string.Join(' ',
            Values(text, Minutes, fields[0]),
            Values(text, Hours, fields[1]),
            DaysOfMonth(text, dayOfMonth),
            Values(text, Month, fields[3]),
            DaysOfWeek(text, dayOfWeek));
        return new Parsed(CronExpression.Parse(cron, CronFormat.Standard), new YearSet(Expand(text, Year, fields[5])));
    }

    private static string DaysOfMonth(string text, string token)
    {
        if (token == "?") return "*";
        if (token is "L" or "LW") return token;
        if (token.Length > 1 && token[^1] == 'W' && token[..^1].All(char.IsAsciiDigit)) return $"{Number(text, DayOfMonth, token, token[..^1])}W";
        if (token.Contains('L', StringComparison.Ordinal) || token.Contains('W', StringComparison.Ordinal))
        {
            throw Invalid(text, DayOfMonth, token, "L and W stand alone: L (the last day of the month), LW (its last weekday) or nW (the weekday nearest day n)");
        }

        return Values(text, DayOfMonth, token);
    }

    private static string DaysOfWeek(string text, string token)
    {
        // AWS counts Sunday as 1, Cronos as 0.
        if (token == "?") return "*";
        // Alone, L is the last day of the week: Saturday.
        if (token == "L") return "6";
        if (token.Contains('#', StringComparison.Ordinal))
        {
            if (token.Contains(',', StringComparison.Ordinal)) throw Invalid(text, DayOfWeek, token, "an expression with '#' must be the only one in the field");
            var parts = token.Split('#');
            if (parts.Length != 2 || !parts[1].All(char.IsAsciiDigit) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var nth) || nth is < 1 or > 5)
            {
                throw Invalid(text, DayOfWeek, token, "'#' takes a day and its instance in the month from 1 to 5, as in 3#2 (the second Tuesday)");
            }

            return $"{Number(text, DayOfWeek, token, parts[0]) - 1}#{nth}";
        }

        if (token.Contains('L', StringComparison.Ordinal))
        {
            if (token.Length == 1 || token[^1] != 'L' || token.AsSpan(0, token.Length - 1).ContainsAny(",-*L"))
            {
                throw Invalid(text, DayOfWeek, token, "L stands alone (Saturday) or after one day, as in 6L (the last Friday of the month)");
            }

            return $"{Number(text, DayOfWeek, token, token[..^1]) - 1}L";
        }

        return Values(text, DayOfWeek, token, shift: -1);
    }

    /// <summary>The values of a plain field as Cronos writes them: '*' or a list of numbers.</summary>
    private static string Values(string text, Field field, string token, int shift = 0)
    {
        var set = Expand(text, field, token);
        return set.All(v => v)
            ? "*"
            : string.Join(',', Enumerable.Range(0, set.Length).Where(i => set[i]).Select(i => (field.Min + i + shift).ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// A list of <c>*</c>, values and ranges, each with an optional <c>/step</c> (Quartz's rules:
    /// <c>5/15</c> is 5 to the end in steps of 15; a range that runs backwards wraps round, except in
    /// the year field). Index i of the result stands for <c>field.Min + i</c>.
    /// </summary>
    private static bool[] Expand(string text, Field field, string token)
    {
        if (token.FirstOrDefault(c => !Allowed(field, c)) is var bad and not '\0')
        {
            throw Invalid(text, field, token, bad == '?' && field.Takes.Contains('?', StringComparison.Ordinal)
                ? "'?' stands alone, meaning any day"
                : $"'{bad}' is not allowed; {field.Name} takes {(field.Names is null ? "" : $"{field.Names[0]}-{field.Names[^1]}, ")}{field.Min}-{field.Max} and {field.Takes}");
        }

        var set = new bool[field.Span];
        foreach (var item in token.Split(','))
        {
            if (item.Length == 0) throw Invalid(text, field, token, "the list has an empty entry");
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            var step = slash < 0 ? 1 : Number(text, field, token, item[(slash + 1)..], "the step after '/'", 1, field.Name == Year.Name ? field.Span - 1 : field.Max);
            int first, last;
            if (range == "*")
            {
                (first, last) = (field.Min, field.Max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                (first, last) = (Number(text, field, token, range[..dash]), Number(text, field, token, range[(dash + 1)..]));
                if (last < first && field.Name == Year.Name) throw Invalid(text, field, token, $"the range {range} runs backwards");
            }
            else
            {
                first = Number(text, field, token, range);
                last = slash < 0 ? first : field.Max;
            }

            var length = last >= first ? last - first : last - first + field.Span;
            for (var offset = 0; offset <= length; offset += step)
            {
                set[(first - field.Min + offset) % field.Span] = true;
            }
        }

        return set;
    }

    private static bool Allowed(Field field, char c) =>
        char.IsAsciiDigit(c) || c is ',' or '-' or '*' || (c == '/' && field.Steps) || (char.IsAsciiLetter(c) && field.Names is not null);

    /// <summary>A number of the field, or for month and day-of-week a three-letter name (any case).</summary>
    private static int Number(string text, Field field, string token, string value)
    {
        if (field.Names is not null && Array.FindIndex(field.Names, n => n.Equals(value, StringComparison.OrdinalIgnoreCase)) is var named and >= 0)
        {
            return field.Min + named;
        }

        return Number(text, field, token, value, "the value", field.Min, field.Max);
    }

    private static int Number(string text, Field field, string token, string value, string what, int min, int max)
    {
        if (value.Length is > 0 and <= 4 && value.All(char.IsAsciiDigit) && int.Parse(value, CultureInfo.InvariantCulture) is var number && number >= min && number <= max)
        {
            return number;
        }

        var names = field.Names is null || what != "the value" ? "" : $" or a name {field.Names[0]}-{field.Names[^1]}";
        throw Invalid(text, field, token, $"{what} '{value}' must be a number from {min} to {max}{names}");
    }

    private static FormatException Invalid(string text, string reason) => new($"{text} is not a valid schedule expression: {reason}.");

    private static FormatException Invalid(string text, Field field, string token, string reason) => Invalid(text, $"{field.Name} '{token}': {reason}");

    /// <summary>The years a cron fires in, from the field's 1970 – 2199.</summary>
    internal sealed class YearSet(bool[] years)
    {
        public const int First = 1970;
        public const int Last = 2199;

        public bool Contains(int year) => year is >= First and <= Last && years[year - First];

        public int? FirstAfter(int year)
        {
            for (var candidate = Math.Max(year + 1, First); candidate <= Last; candidate++)
            {
                if (years[candidate - First]) return candidate;
            }

            return null;
        }
    }
}
