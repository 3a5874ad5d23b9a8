using System.Collections.Concurrent;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Versions of writes the searcher cannot see yet (Elasticsearch's LiveVersionMap). A refresh
/// moves <c>current</c> aside before reopening and drops it only once the new searcher is live,
/// so at every moment a write is in one of the two maps or in the searcher.
/// </summary>
/// <remarks>
/// <see cref="Set"/>, <see cref="BeginRefresh"/> and <see cref="EndRefresh"/> run while the index's
/// write lock is held (Set from the batch's parallel writers too); <see cref="TryGet"/> may run
/// concurrently with them.
/// </remarks>
internal sealed class LiveVersionMap
{
    private volatile ConcurrentDictionary<string, long> current = NewMap();
    private volatile ConcurrentDictionary<string, long> old = NewMap();

    public int Count => current.Count + old.Count;

    public void Set(string artistId, long version) => current[artistId] = version;

    /// <summary>Checks current before old: a write moves from the first to the second, never back.</summary>
    public bool TryGet(string artistId, out long version) =>
        current.TryGetValue(artistId, out version) || old.TryGetValue(artistId, out version);

    public void BeginRefresh()
    {
        if (old.IsEmpty)
        {
            old = current;
        }
        else
        {
            // The previous refresh failed, so what it set aside is still unseen: keep it, and
            // let the newer writes overwrite it.
            foreach (var (artistId, version) in current) old[artistId] = version;
        }
        current = NewMap();
    }

    public void EndRefresh() => old = NewMap();

    private static ConcurrentDictionary<string, long> NewMap() => new(StringComparer.Ordinal);
}
