using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// Splits user text into the terms the query is built from, the way the index's standard
/// tokenizer (Unicode word boundaries) and lowercase/asciifolding filters would. The query needs
/// the terms client-side because every term must match in some field (a per-term dis_max), and
/// the last one also as a prefix. The same caps as the Lucene adapter bound a hostile query.
/// </summary>
/// <remarks>
/// The word-boundary rules kept are the ones that decide real names and handles: letters and
/// digits run together, '_' joins, '.', '\'' and ':' join letters ("rosa.thorn"), '.', ','
/// and ';' join digits; ideographs stand alone; everything else separates. Exact and fuzzy
/// clauses are re-analysed by OpenSearch anyway, so a rare disagreement only touches prefixes.
/// </remarks>
internal static class QueryTerms
{
    public const int MaxTerms = 16;
    public const int MaxTermLength = 64;

    // The standard tokenizer's max_token_length: a longer run is split, not dropped.
    private const int MaxTokenLength = 255;

    public static IReadOnlyList<string> Of(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var terms = new List<string>();
        var runes = text.EnumerateRunes().Select(r => (Rune: r, Kind: Classify(r))).ToArray();
        var token = new Token();
        for (var i = 0; i < runes.Length && terms.Count < MaxTerms; i++)
        {
            var (rune, kind) = runes[i];
            if (kind == Kind.Ideograph)
            {
                token.EmitTo(terms);
                token.Append(rune, isWord: true);
                token.EmitTo(terms);
                continue;
            }

            var joins = kind switch
            {
                Kind.Letter or Kind.Digit or Kind.Connector or Kind.Mark => true,
                Kind.MidLetter => Between(runes, i, Kind.Letter),
                Kind.MidNum => Between(runes, i, Kind.Digit),
                Kind.MidNumLet => Between(runes, i, Kind.Letter) || Between(runes, i, Kind.Digit),
                _ => false,
            };
            if (!joins || token.Length + rune.Utf16SequenceLength > MaxTokenLength)
            {
                token.EmitTo(terms);
            }

            if (joins)
            {
                token.Append(rune, isWord: kind is Kind.Letter or Kind.Digit);
            }
        }

        token.EmitTo(terms);
        return terms;
    }

    /// <summary>
    /// Lower case with the accents and ligatures of the Latin-1 and Latin Extended-A blocks folded
    /// to ASCII, as the folding filter does, and combining marks dropped. A table rather than
    /// Unicode decomposition: the app runs with invariant globalization, where Normalize does not
    /// decompose. Rarer letters stay as typed, which only their prefix clause can notice.
    /// </summary>
    public static string Fold(string term)
    {
        var folded = new StringBuilder(term.Length);
        foreach (var ch in term.ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (Folds.TryGetValue(ch, out var ascii))
            {
                folded.Append(ascii);
            }
            else
            {
                folded.Append(ch);
            }
        }

        return folded.ToString();
    }

    private static readonly FrozenDictionary<char, string> Folds = new[]
    {
        "a:àáâãäåāăą", "ae:æ", "c:çćĉċč", "d:ðďđ", "e:èéêëēĕėęě", "g:ĝğġģ", "h:ĥħ", "i:ìíîïĩīĭįı", "ij:ĳ", "j:ĵ",
        "k:ķĸ", "l:ĺļľŀł", "n:ñńņňŉŋ", "o:òóôõöøōŏő", "oe:œ", "r:ŕŗř", "s:śŝşšſ", "ss:ß", "t:ţťŧ", "th:þ",
        "u:ùúûüũūŭůűų", "w:ŵ", "y:ýÿŷ", "z:źżž",
    }
        .Select(spec => spec.Split(':'))
        .SelectMany(spec => spec[1].Select(letter => (Letter: letter, Ascii: spec[0])))
        .ToFrozenDictionary(fold => fold.Letter, fold => fold.Ascii);

    /// <summary>A token being read; one of joiners and marks alone ("_", "\u0301") is no word.</summary>
    private sealed class Token
    {
        private readonly StringBuilder text = new();
        private bool hasWord;

        public int Length => text.Length;

        public void Append(Rune rune, bool isWord)
        {
            text.Append(rune.ToString());
            hasWord |= isWord;
        }

        public void EmitTo(List<string> terms)
        {
            var term = hasWord && terms.Count < MaxTerms ? Fold(text.ToString()) : "";
            text.Clear();
            hasWord = false;
            if (term.Length > MaxTermLength)
            {
                term = term[..MaxTermLength];
            }

            if (term.Length > 0 && !terms.Contains(term, StringComparer.Ordinal))
            {
                terms.Add(term);
            }
        }
    }

    // A mid-word character joins only between two characters of the given kind (UAX #29 WB6/7, WB11/12).
    private static bool Between((Rune Rune, Kind Kind)[] runes, int i, Kind kind) =>
        i > 0 && i + 1 < runes.Length && runes[i - 1].Kind == kind && runes[i + 1].Kind == kind;

    private static Kind Classify(Rune rune)
    {
        if (IsIdeograph(rune.Value))
        {
            return Kind.Ideograph;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber => Kind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Kind.Mark,
            UnicodeCategory.ConnectorPunctuation => Kind.Connector,
            _ => rune.Value switch
            {
                ':' or '·' or 0x05F4 or 0x2027 or 0xFE13 or 0xFE55 or 0xFF1A => Kind.MidLetter,
                '.' or '\'' or 0x2018 or 0x2019 or 0x2024 or 0xFE52 or 0xFF07 or 0xFF0E => Kind.MidNumLet,
                ',' or ';' or 0x037E or 0x0589 or 0x060C or 0x060D or 0x066C or 0x07F8 or 0x2044 or 0xFE10 or 0xFE14 or 0xFE50 or 0xFE54 or 0xFF0C or 0xFF1B => Kind.MidNum,
                _ => Kind.Other,
            },
        };
    }

    // Han, Hiragana and the CJK compatibility blocks: the standard tokenizer emits one token per character.
    private static bool IsIdeograph(int value) => value is (>= 0x3040 and <= 0x309F) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    private enum Kind
    {
        Other,
        Letter,
        Digit,
        Mark,
        Connector,
        MidLetter,
        MidNum,
        MidNumLet,
        Ideograph,
    }
}
