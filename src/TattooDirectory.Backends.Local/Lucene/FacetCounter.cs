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
    private int[] counts = [];
    private Action<int, BytesRef> lookup = (_, _) => { };

    /// <param name="valueCount">Distinct values in the segment.</param>
    /// <param name="lookupOrd">Writes the value of an ordinal into the given bytes.</param>
    public void SetNextReader(long valueCount, Action<int, BytesRef> lookupOrd)
    {
        Flush();
        counts = new int[checked((int)valueCount)];
        lookup = lookupOrd;
    }

    public void Add(int ord) => counts[ord]++;

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
            lookup(ord, bytes);
            var value = bytes.Utf8ToString();
            totals[value] = totals.GetValueOrDefault(value) + counts[ord];
        }
        counts = [];
    }
}
