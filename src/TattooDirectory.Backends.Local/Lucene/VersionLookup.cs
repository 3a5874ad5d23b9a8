using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Reads the version a searcher holds for an id (live document or tombstone). Keeps one terms
/// enumerator per segment so a batch of lookups does not re-open them per id.
/// </summary>
internal sealed class VersionLookup(IndexSearcher searcher)
{
    private readonly Segment[] segments = [.. searcher.IndexReader.Leaves.Select(leaf => new Segment(leaf.AtomicReader))];

    public long? Find(string artistId)
    {
        var id = new BytesRef(artistId);
        // Newest segments last; an id updated recently is more likely to live there.
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            if (segments[i].Find(id) is { } version) return version;
        }
        return null;
    }

    private sealed class Segment(AtomicReader reader)
    {
        private readonly TermsEnum? terms = reader.GetTerms(IndexSchema.Id)?.GetEnumerator();
        private readonly NumericDocValues versions = reader.GetNumericDocValues(IndexSchema.Version) ?? DocValues.EMPTY_NUMERIC;
        private DocsEnum? docs;

        public long? Find(BytesRef id)
        {
            if (terms is null || !terms.SeekExact(id)) return null;
            // Live docs only: an update leaves the replaced document deleted but still in its segment.
            docs = terms.Docs(reader.LiveDocs, docs, DocsFlags.NONE);
            var doc = docs.NextDoc();
            return doc == DocIdSetIterator.NO_MORE_DOCS ? null : versions.Get(doc);
        }
    }
}
