using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// The per-document values a search reads for every hit, copied once per segment into plain
/// arrays. Lucene.NET's DocValues cost 50–250 ns per read, which at tens of thousands of hits
/// is the whole latency budget; an array read is a nanosecond. Segments are immutable (only
/// their deletions change), so the copy is keyed by the segment core and lives as long as it.
/// </summary>
internal sealed class SegmentColumns
{
    private static readonly ConditionalWeakTable<object, SegmentColumns> Cache = [];

    private SegmentColumns(int maxDoc)
    {
        Visible = new bool[maxDoc];
        Lat = new double[maxDoc];
        Lon = new double[maxDoc];
        Rating = new double[maxDoc];
        ReviewCount = new int[maxDoc];
        CityOrd = new int[maxDoc];
        NameOrd = new int[maxDoc];
        StyleStart = new int[maxDoc + 1];
    }

    /// <summary>Live and not opted out. Tombstones and opted-out documents are false.</summary>
    public bool[] Visible { get; }
    public double[] Lat { get; }
    public double[] Lon { get; }
    public double[] Rating { get; }
    public int[] ReviewCount { get; }
    /// <summary>Ordinal in the segment's city SortedDocValues, -1 when none.</summary>
    public int[] CityOrd { get; }
    /// <summary>Ordinal in the segment's name-sort SortedDocValues.</summary>
    public int[] NameOrd { get; }
    /// <summary>Style ordinals of document d are StyleOrds[StyleStart[d]..StyleStart[d + 1]].</summary>
    public int[] StyleStart { get; }
    public int[] StyleOrds { get; private set; } = [];

    public static SegmentColumns For(AtomicReader reader) => Cache.GetValue(reader.CoreCacheKey, _ => Load(reader));

    private static SegmentColumns Load(AtomicReader reader)
    {
        var maxDoc = reader.MaxDoc;
        var columns = new SegmentColumns(maxDoc);
        // Every document of the core, deleted or not: deletions change between reopens, the core never.
        var visible = reader.Fields?.GetTerms(IndexSchema.Visible)?.GetEnumerator();
        if (visible is not null && visible.SeekExact(new BytesRef(IndexSchema.Flag)) && visible.Docs(null, null, DocsFlags.NONE) is { } docs)
        {
            for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc()) columns.Visible[doc] = true;
        }

        var lat = reader.GetNumericDocValues(IndexSchema.Lat) ?? DocValues.EMPTY_NUMERIC;
        var lon = reader.GetNumericDocValues(IndexSchema.Lon) ?? DocValues.EMPTY_NUMERIC;
        var rating = reader.GetNumericDocValues(IndexSchema.Rating) ?? DocValues.EMPTY_NUMERIC;
        var reviewCount = reader.GetNumericDocValues(IndexSchema.ReviewCount) ?? DocValues.EMPTY_NUMERIC;
        var city = reader.GetSortedDocValues(IndexSchema.City) ?? DocValues.EMPTY_SORTED;
        var name = reader.GetSortedDocValues(IndexSchema.NameSort) ?? DocValues.EMPTY_SORTED;
        var styles = reader.GetSortedSetDocValues(IndexSchema.Style) ?? DocValues.EMPTY_SORTED_SET;
        var styleOrds = new List<int>(maxDoc * 2);
        for (var doc = 0; doc < maxDoc; doc++)
        {
            columns.StyleStart[doc] = styleOrds.Count;
            if (!columns.Visible[doc]) continue;
            columns.Lat[doc] = IndexSchema.AsDouble(lat.Get(doc));
            columns.Lon[doc] = IndexSchema.AsDouble(lon.Get(doc));
            columns.Rating[doc] = IndexSchema.AsDouble(rating.Get(doc));
            columns.ReviewCount[doc] = (int)reviewCount.Get(doc);
            columns.CityOrd[doc] = city.GetOrd(doc);
            columns.NameOrd[doc] = name.GetOrd(doc);
            styles.SetDocument(doc);
            for (var ord = styles.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = styles.NextOrd()) styleOrds.Add((int)ord);
        }
        columns.StyleStart[maxDoc] = styleOrds.Count;
        columns.StyleOrds = [.. styleOrds];
        return columns;
    }

    /// <summary>Builds the columns of merged segments in the merge thread, before searches meet them.</summary>
    public sealed class MergeWarmer : IndexWriter.IndexReaderWarmer
    {
        public override void Warm(AtomicReader reader) => For(reader);
    }
}
