using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TattooDirectory.Hosting;

/// <summary>
/// What a log line may not carry, as pure functions: the redacting logger (<see cref="Logging"/>)
/// runs every line through <see cref="Redact"/> before any provider sees it. Two kinds of rule:
/// text patterns, found anywhere (email addresses, @handles, instagram.com/&lt;handle&gt;), and
/// structured values whose property name says they are personal (a name cannot be recognised by
/// its shape, only by where it was put), which are replaced whole and also wherever their text
/// appears in the message and the exception.
/// </summary>
internal static partial class LogRedaction
{
    public const string Redacted = "[redacted]";
    public const string Email = "[email]";
    public const string Handle = "[handle]";

    /// <summary>Property names (compared without case or a leading @/$) whose values are personal.</summary>
    private static readonly HashSet<string> PersonalNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Name", "FullName", "FirstName", "LastName", "DisplayName", "ArtistName",
        "Handle", "Instagram", "InstagramHandle", "InstagramUrl",
        "Bio", "Biography", "Email", "EmailAddress", "Contact", "Details", "Note", "Notes",
    };

    private static readonly string[] PersonalPrefixes = ["Requester", "Contact"];
    private static readonly string[] PersonalSuffixes = ["Email", "Handle", "ArtistName", "FullName", "Bio"];

    /// <summary>ASP.NET Core's request lines: the query can hold whatever a visitor searched for, such as a name.</summary>
    private const string QueryString = "QueryString";

    public static bool IsPersonal(string propertyName)
    {
        var name = propertyName.TrimStart('@', '$');
        return PersonalNames.Contains(name)
            || PersonalPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            || PersonalSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Replaces email addresses, @handles and Instagram profile URLs; text without '@' or "instagr" comes back as it is, unallocated.</summary>
    public static string Scrub(string text)
    {
        if (text.AsSpan().IndexOf('@') < 0 && !text.Contains("instagr", StringComparison.OrdinalIgnoreCase)) return text;
        var scrubbed = EmailPattern().Replace(text, Email);
        scrubbed = InstagramUrlPattern().Replace(scrubbed, "$1" + Handle);
        return HandlePattern().Replace(scrubbed, "@" + Handle);
    }

    /// <summary>
    /// One log call made safe: each property value redacted or scrubbed, and the message (and the
    /// exception's text, which keeps its type and stack) with every personal value and pattern replaced.
    /// </summary>
    /// <param name="properties">The structured values of the call (empty when its state has none).</param>
    /// <param name="message">The message as the call's formatter rendered it.</param>
    /// <param name="exception">The call's exception: returned as it is when its text names nobody, else as a <see cref="RedactedException"/>.</param>
    public static RedactedLine Redact(IEnumerable<KeyValuePair<string, object?>> properties, string message, Exception? exception = null)
    {
        List<(string Text, string Replacement)>? personal = null;
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var (key, value) in properties)
        {
            if (value is null || IsPlain(value))
            {
                values.Add(new(key, value));
                continue;
            }

            var text = Render(value);
            if (IsPersonal(key) || key.Equals(QueryString, StringComparison.OrdinalIgnoreCase))
            {
                var replacement = IsPersonal(key) ? Redacted : QueryValuePattern().Replace(text, Redacted);
                // Shorter values would blank out unrelated letters of the message; they identify nobody.
                if (text.Length >= 2) (personal ??= []).Add((text, replacement));
                values.Add(new(key, replacement));
            }
            else
            {
                values.Add(new(key, Scrub(text)));
            }
        }

        personal?.Sort((a, b) => b.Text.Length.CompareTo(a.Text.Length));
        return new RedactedLine(values, Apply(message, personal), exception is null ? null : Redact(exception, personal));
    }

    private static Exception Redact(Exception exception, List<(string Text, string Replacement)>? personal)
    {
        var text = exception.ToString();
        var redacted = Apply(text, personal);
        return redacted == text ? exception : new RedactedException(exception, redacted, Apply(exception.Message, personal));
    }

    private static string Apply(string text, List<(string Text, string Replacement)>? personal)
    {
        foreach (var (value, replacement) in personal ?? [])
        {
            text = text.Replace(value, replacement, StringComparison.OrdinalIgnoreCase);
        }

        return Scrub(text);
    }

    /// <summary>Values that cannot carry text: kept as they are, so numbers stay numbers in JSON.</summary>
    private static bool IsPlain(object value) =>
        value is bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
            or DateTime or DateTimeOffset or TimeSpan or Guid or Enum;

    /// <summary>As Microsoft.Extensions.Logging renders a value into a message: invariant, sequences comma-joined.</summary>
    private static string Render(object value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(i => i is null ? "(null)" : Render(i))),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"((?:www\.)?(?:instagram\.com|instagr\.am)/)(?!\[)[A-Za-z0-9._]+", RegexOptions.IgnoreCase)]
    private static partial Regex InstagramUrlPattern();

    /// <summary>An @ not preceded by what could be the end of a word or an address (emails are replaced before this runs).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+\-])@(?!\[)[A-Za-z0-9._]{2,30}")]
    private static partial Regex HandlePattern();

    [GeneratedRegex(@"(?<=[?&][^=&]*=)[^&#]+")]
    private static partial Regex QueryValuePattern();
}

/// <summary>A log line after <see cref="LogRedaction.Redact"/>: its values, message and exception.</summary>
internal sealed record RedactedLine(IReadOnlyList<KeyValuePair<string, object?>> Values, string Message, Exception? Exception);

/// <summary>
/// Stands in for a logged exception whose text named someone: its <see cref="ToString"/> is the
/// original's (type, message, inner exceptions, stack) with that removed. Only made when something was.
/// </summary>
#pragma warning disable CA1032 // Never thrown or constructed by callers: it only replaces a logged exception.
internal sealed class RedactedException(Exception original, string text, string message) : Exception(message)
#pragma warning restore CA1032
{
    public Type OriginalType { get; } = original.GetType();

    public override string? StackTrace { get; } = original.StackTrace;

    public override string ToString() => text;
}
