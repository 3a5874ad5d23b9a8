using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace TattooDirectory.Core.Places;

/// <summary>
/// Turns what people type into lookup keys. The app runs with invariant globalization, where
/// string.Normalize does not decompose accents, so accents are folded with a table instead.
/// </summary>
internal static partial class PlaceText
{
    private static readonly FrozenDictionary<char, string> Folds = BuildFolds();

    // Longest first, so "great britain" goes before "britain".
    private static readonly string[] CountryWords =
        ["united kingdom", "northern ireland", "great britain", "britain", "england", "scotland", "wales", "uk", "gb"];

    /// <summary>
    /// Lower-case ASCII words separated by single spaces: accents folded, apostrophes dropped
    /// ("King’s" → "kings"), other punctuation a word break, "&amp;" → "and", "saint" → "st".
    /// </summary>
    public static string Key(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '\'' or '’' or '‘' or '`' or '´' or 'ʼ' || ch is >= '\u0300' and <= '\u036F') continue;
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            else if (Folds.TryGetValue(ch, out var folded)) sb.Append(folded);
            else if (ch == '&') sb.Append(" and ");
            else sb.Append(' ');
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] == "saint") words[i] = "st";
        }
        return string.Join(' ', words);
    }

    /// <summary>Drops a trailing country ("Leeds UK", "Cardiff Wales"); null when there is none.</summary>
    public static string? WithoutCountry(string key)
    {
        foreach (var country in CountryWords)
        {
            if (key.Length > country.Length + 1 && key.EndsWith(country, StringComparison.Ordinal) && key[^(country.Length + 1)] == ' ')
            {
                return key[..^(country.Length + 1)];
            }
        }
        return null;
    }

    /// <summary>
    /// Finds a postcode district in text: "LS6", "ls6 3ab", "LS63AB", "LS6 3" or a trailing one
    /// ("Leeds LS6"). Returns the outward code in upper case.
    /// </summary>
    public static string? OutwardCode(string text)
    {
        var tokens = text.ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) return null;
        if (tokens.Length >= 2 && Outward().IsMatch(tokens[^2]) && Inward().IsMatch(tokens[^1])) return tokens[^2];
        var last = tokens[^1];
        if (Outward().IsMatch(last)) return last;
        var full = FullPostcode().Match(last);
        return full.Success ? full.Groups[1].Value : null;
    }

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?$", RegexOptions.CultureInvariant)]
    private static partial Regex Outward();

    // A whole inward code, or only its sector digit ("LS6 3").
    [GeneratedRegex("^[0-9]([A-Z]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Inward();

    [GeneratedRegex("^([A-Z]{1,2}[0-9][A-Z0-9]?)[0-9][A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex FullPostcode();

    private static FrozenDictionary<char, string> BuildFolds()
    {
        (string Accented, string Plain)[] groups =
        [
            ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "a"), ("ÇçĆćĈĉĊċČč", "c"), ("ĎďĐđ", "d"), ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"),
            ("ĜĝĞğĠġĢģ", "g"), ("ĤĥĦħ", "h"), ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "i"), ("Ĵĵ", "j"), ("Ķķ", "k"),
            ("ĹĺĻļĽľĿŀŁł", "l"), ("ÑñŃńŅņŇň", "n"), ("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "o"), ("ŔŕŖŗŘř", "r"),
            ("ŚśŜŝŞşŠš", "s"), ("ŢţŤťŦŧ", "t"), ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"), ("Ŵŵ", "w"),
            ("ÝýÿŶŷŸ", "y"), ("ŹźŻżŽž", "z"), ("ß", "ss"), ("Ææ", "ae"), ("Œœ", "oe"), ("Þþ", "th"), ("Ðð", "d"),
        ];
        var map = new Dictionary<char, string>();
        foreach (var (accented, plain) in groups)
        {
            foreach (var ch in accented) map[ch] = plain;
        }
        return map.ToFrozenDictionary();
    }
}
