using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Documents holding any of many terms of one field, as a bitset per segment. For the few dozen
/// geo cells around a circle this beats a disjunction query: reading postings straight into bits
/// is cheap, whereas advancing a many-way disjunction inside a conjunction touches every term.
/// </summary>
internal sealed class AnyTermFilter(string field, IReadOnlyList<string> terms) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
    {
        var termsEnum = context.AtomicReader.GetTerms(field)?.GetEnumerator();
        if (termsEnum is null) return null;
        FixedBitSet? bits = null;
        DocsEnum? docs = null;
        foreach (var term in terms)
        {
            if (!termsEnum.SeekExact(new BytesRef(term))) continue;
            docs = termsEnum.Docs(acceptDocs, docs, DocsFlags.NONE);
            if (docs is null) continue;
            bits ??= new FixedBitSet(context.AtomicReader.MaxDoc);
            for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc()) bits.Set(doc);
        }
        return bits;
    }

    public override string ToString() => $"{field}:any({terms.Count} terms)";
}
