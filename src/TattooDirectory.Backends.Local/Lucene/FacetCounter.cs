using Lucene.Net.Index;
using Lucene.Net.Util;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Counts DocValues ordinals per segment (an array increment per hit) and resolves them to
/// strings only once per segment, for the ordinals that were actually hit.
/// </summary>
internal sealed class FacetCounter
{
    private readonly Dictionary<string, int> totals = new(StringComparer.Ordinal);
    private SortedSetDocValues values = DocValues.EMPTY_SORTED_SET;
    private int[] counts = [];

    public void SetNextReader(SortedSetDocValues? segmentValues)
    {
        Flush();
        values = segmentValues ?? DocValues.EMPTY_SORTED_SET;
        counts = new int[checked((int)values.ValueCount)];
    }

    public void Collect(int doc)
    {
        values.SetDocument(doc);
        for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
        {
            counts[ord]++;
        }
    }

    /// <summary>Counts by count descending, then value ascending, so equal counts list in a stable order.</summary>
    public IReadOnlyList<FacetCount> Finish()
    {
        Flush();
        return
        [
            .. totals
                .OrderByDescending(entry => entry.Value)
                .ThenBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => new FacetCount(entry.Key, entry.Value)),
        ];
    }

    private void Flush()
    {
        var bytes = new BytesRef();
        for (var ord = 0; ord < counts.Length; ord++)
        {
            if (counts[ord] == 0) continue;
            values.LookupOrd(ord, bytes);
            var value = bytes.Utf8ToString();
            totals[value] = totals.GetValueOrDefault(value) + counts[ord];
        }
        counts = [];
    }
}
