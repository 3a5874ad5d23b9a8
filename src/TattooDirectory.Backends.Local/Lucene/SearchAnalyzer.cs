using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// One analyzer for indexing and for user text, so "Zoë", "ZOE" and "zoe" meet on the same term
/// and '@', quotes and query operators are just separators.
/// </summary>
internal sealed class SearchAnalyzer : Analyzer
{
    /// <summary>Bounds the work a hostile query can cause: beyond this the intent is lost anyway.</summary>
    public const int MaxQueryTerms = 16;

    public const int MaxTermLength = 64;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new StandardTokenizer(LuceneVersion.LUCENE_48, reader);
        TokenStream stream = new LowerCaseFilter(LuceneVersion.LUCENE_48, tokenizer);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    /// <summary>
    /// The distinct terms of user text, in order, capped in number and length. Never throws on
    /// content: the tokenizer treats syntax characters, NUL, emoji and the like as separators.
    /// </summary>
    public IReadOnlyList<string> Terms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var terms = new List<string>();
        using var stream = GetTokenStream("query", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (terms.Count < MaxQueryTerms && stream.IncrementToken())
        {
            var value = new string(term.Buffer, 0, Math.Min(term.Length, MaxTermLength));
            if (!terms.Contains(value, StringComparer.Ordinal)) terms.Add(value);
        }
        stream.End();
        return terms;
    }
}
