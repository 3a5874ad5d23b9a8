using TattooDirectory.Core.Domain;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// One pass over the matching documents that applies the exact distance check, counts the total
/// and both facets, and keeps the best <c>size</c> hits in a bounded heap. Per-hit values come
/// from <see cref="SegmentColumns"/>; documents are read later, for the requested page only.
/// </summary>
internal sealed class SearchCollector : ICollector
{
    private readonly SearchSort sort;
    private readonly int size;
    private readonly GeoFilter? geo;
    private readonly GeoMath.Circle circle;
    // Worst hit at the root, so a candidate is compared with one element before anything moves.
    private readonly PriorityQueue<RankedHit, RankedHit> queue;
    private readonly FacetCounter styleFacets = new();
    private readonly FacetCounter cityFacets = new();
    private readonly BytesRef scratch = new();

    private RankedHit probe = new();
    private Scorer? scorer;
    private int docBase;
    private SegmentColumns columns = null!;
    private BinaryDocValues ids = DocValues.EMPTY_BINARY;
    private SortedDocValues names = DocValues.EMPTY_SORTED;

    // Name sort compares ordinals within a segment; the worst hit's position among this segment's
    // ordinals is looked up again only when the heap or the segment changed.
    private long queueChanges;
    private long bottomLookupStamp = -1;
    private int bottomLookup;

    public SearchCollector(SearchSort sort, int size, GeoFilter? geo)
    {
        this.sort = sort;
        this.size = size;
        this.geo = geo;
        if (geo is not null) circle = new GeoMath.Circle(geo.Center);
        queue = new PriorityQueue<RankedHit, RankedHit>(
            Math.Min(size, 1024),
            Comparer<RankedHit>.Create((a, b) => HitOrder.Compare(sort, b, a)));
    }

    public int Total { get; private set; }

    // In order: out of order lets Lucene pick BooleanScorer for an all-SHOULD query (a styles
    // filter alone), which allocates a 2,048-bucket table per segment per search, the largest
    // garbage of a search. Ties fall to the artist id, so the order of collection changes nothing.
    public bool AcceptsDocsOutOfOrder => false;

    public void SetScorer(Scorer scorer) => this.scorer = scorer;

    public void SetNextReader(AtomicReaderContext context)
    {
        var reader = context.AtomicReader;
        docBase = context.DocBase;
        columns = SegmentColumns.For(reader);
        bottomLookupStamp = -1;
        ids = reader.GetBinaryDocValues(IndexSchema.Id) ?? DocValues.EMPTY_BINARY;
        names = reader.GetSortedDocValues(IndexSchema.NameSort) ?? DocValues.EMPTY_SORTED;
        var styles = reader.GetSortedSetDocValues(IndexSchema.Style) ?? DocValues.EMPTY_SORTED_SET;
        styleFacets.SetNextReader(styles.ValueCount, (ord, bytes) => styles.LookupOrd(ord, bytes));
        var cities = reader.GetSortedDocValues(IndexSchema.City) ?? DocValues.EMPTY_SORTED;
        cityFacets.SetNextReader(cities.ValueCount, cities.LookupOrd);
    }

    public void Collect(int doc)
    {
        var segment = columns;
        // Tombstones and opted-out artists are filtered here rather than by one more query clause.
        if (!segment.Visible[doc]) return;
        var distance = double.NaN;
        if (geo is not null)
        {
            distance = circle.DistanceKm(segment.Lat[doc], segment.Lon[doc]);
            // The index only narrowed hits to grid cells around the circle; this is the real radius check.
            if (!(distance <= geo.RadiusKm)) return;
        }
        Total++;
        for (var i = segment.StyleStart[doc]; i < segment.StyleStart[doc + 1]; i++) styleFacets.Add(segment.StyleOrds[i]);
        if (segment.CityOrd[doc] is var city and >= 0) cityFacets.Add(city);
        if (size > 0) Offer(doc, distance);
    }

    /// <summary>The kept hits, best first.</summary>
    public IReadOnlyList<RankedHit> TopHits()
    {
        var hits = new RankedHit[queue.Count];
        for (var i = hits.Length - 1; i >= 0; i--) hits[i] = queue.Dequeue();
        return hits;
    }

    public IReadOnlyList<FacetCount> StyleFacets() => styleFacets.Finish();

    public IReadOnlyList<FacetCount> CityFacets() => cityFacets.Finish();

    private void Offer(int doc, double distance)
    {
        var candidate = probe;
        candidate.DistanceKm = distance;
        switch (sort)
        {
            case SearchSort.Relevance:
                candidate.Score = scorer!.GetScore();
                break;
            case SearchSort.Rating:
                candidate.Rating = columns.Rating[doc];
                candidate.ReviewCount = columns.ReviewCount[doc];
                break;
        }
        var nameOrd = columns.NameOrd[doc];

        if (queue.Count >= size)
        {
            var worst = queue.Peek();
            var primary = sort == SearchSort.Name ? CompareNameWithWorst(nameOrd, worst) : HitOrder.ComparePrimary(sort, candidate, worst);
            if (primary > 0) return;
            candidate.ArtistId = ReadId(doc);
            if (primary == 0 && string.CompareOrdinal(candidate.ArtistId, worst.ArtistId) > 0) return;
        }
        else
        {
            candidate.ArtistId = ReadId(doc);
        }

        candidate.Doc = docBase + doc;
        if (sort == SearchSort.Name) ReadName(candidate, nameOrd);
        if (queue.Count >= size)
        {
            probe = queue.DequeueEnqueue(candidate, candidate);
        }
        else
        {
            queue.Enqueue(candidate, candidate);
            probe = new RankedHit();
        }
        queueChanges++;
    }

    private int CompareNameWithWorst(int nameOrd, RankedHit worst)
    {
        if (bottomLookupStamp != queueChanges)
        {
            bottomLookup = names.LookupTerm(worst.NameKey);
            bottomLookupStamp = queueChanges;
        }
        if (bottomLookup >= 0) return nameOrd.CompareTo(bottomLookup);
        // Not in this segment: the ordinal it would have splits this segment's names in two.
        var insertionPoint = -bottomLookup - 1;
        return nameOrd < insertionPoint ? -1 : 1;
    }

    private string ReadId(int doc)
    {
        ids.Get(doc, scratch);
        return scratch.Utf8ToString();
    }

    private void ReadName(RankedHit candidate, int nameOrd)
    {
        if (nameOrd < 0)
        {
            candidate.NameKey.Length = 0;
            return;
        }
        names.LookupOrd(nameOrd, scratch);
        candidate.NameKey.CopyBytes(scratch);
    }
}
