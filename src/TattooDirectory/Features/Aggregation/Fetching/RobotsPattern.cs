using System.Text;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>
/// One Allow or Disallow path pattern. Matching splits the pattern at <c>*</c> and finds each
/// piece leftmost in turn, which is exact for patterns whose only wildcard is <c>*</c> and stays
/// linear-ish however hostile the file, unlike backtracking over every star.
/// </summary>
internal sealed class RobotsPattern
{
    private readonly string[] _pieces;
    private readonly bool _anchored;

    public RobotsPattern(string value, bool allow)
    {
        Allow = allow;
        var normalised = Normalise(value, isPattern: true);
        if (!normalised.StartsWith('/') && !normalised.StartsWith('*')) normalised = "/" + normalised;
        Length = normalised.Length;
        _anchored = normalised.EndsWith('$');
        _pieces = (_anchored ? normalised[..^1] : normalised).Split('*');
    }

    public bool Allow { get; }

    /// <summary>The pattern's size in octets: RFC 9309 §2.2.2 ranks matches by it.</summary>
    public int Length { get; }

    public bool Matches(string path)
    {
        var first = _pieces[0];
        if (!path.StartsWith(first, StringComparison.Ordinal)) return false;
        if (_pieces.Length == 1) return !_anchored || path.Length == first.Length;

        var at = first.Length;
        for (var i = 1; i < _pieces.Length - 1; i++)
        {
            var found = path.IndexOf(_pieces[i], at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + _pieces[i].Length;
        }

        var last = _pieces[^1];
        return _anchored
            ? path.Length - last.Length >= at && path.EndsWith(last, StringComparison.Ordinal)
            : path.IndexOf(last, at, StringComparison.Ordinal) >= 0;
    }

    /// <summary>
    /// One spelling for paths and patterns (RFC 9309 §2.2.2): escapes of unreserved characters
    /// decoded, other escapes in upper case, non-ASCII and spaces percent-encoded as UTF-8.
    /// </summary>
    public static string Normalise(string value, bool isPattern)
    {
        var result = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                var decoded = (char)Convert.ToByte(value.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(decoded) || decoded is '-' or '.' or '_' or '~') result.Append(decoded);
                else result.Append('%').Append(char.ToUpperInvariant(value[i + 1])).Append(char.ToUpperInvariant(value[i + 2]));
                i += 2;
            }
            else if (c is > ' ' and < (char)0x7F && (isPattern || (c != '*' && c != '$')))
            {
                result.Append(c);
            }
            else
            {
                var scalar = char.IsSurrogatePair(value, i) ? char.ConvertToUtf32(value[i], value[++i]) : c;
                var count = Rune.TryCreate(scalar, out var rune) ? rune.EncodeToUtf8(utf8) : Rune.ReplacementChar.EncodeToUtf8(utf8);
                foreach (var b in utf8[..count]) result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }
}
