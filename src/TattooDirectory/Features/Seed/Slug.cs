using System.Text;

namespace TattooDirectory.Features.Seed;

/// <summary>ASCII forms of names for handles, host names and e-mail addresses.</summary>
internal static class Slug
{
    // The accented letters our name lists use. Invariant globalization means string.Normalize
    // cannot decompose them for us.
    private const string Accented = "áàâäãåçéèêëíìîïñóòôöõøśúùûüýÿźżłńŁŚŻŹÓÖÉÜ";
    private const string Plain = "aaaaaaceeeeiiiinoooooosuuuuyyzzlnlszzooeu";

    /// <summary>Lower-case letters and digits only: "O'Brien" → "obrien", "Zoë" → "zoe".</summary>
    public static string Letters(string text) => Build(text, separator: null);

    /// <summary>Words joined by hyphens: "Ink &amp; Iron" → "ink-and-iron".</summary>
    public static string Hyphenated(string text) => Build(text.Replace("&", " and ", StringComparison.Ordinal), '-');

    private static string Build(string text, char? separator)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSeparator = false;
        foreach (var raw in text)
        {
            var folded = Accented.IndexOf(raw, StringComparison.Ordinal) is var at and >= 0 ? Plain[at] : raw;
            if (char.IsAsciiLetterOrDigit(folded))
            {
                if (pendingSeparator && separator is { } sep && sb.Length > 0) sb.Append(sep);
                pendingSeparator = false;
                sb.Append(char.ToLowerInvariant(folded));
            }
            else if (folded is not '\'' and not '’')
            {
                pendingSeparator = true;
            }
        }
        return sb.ToString();
    }
}
