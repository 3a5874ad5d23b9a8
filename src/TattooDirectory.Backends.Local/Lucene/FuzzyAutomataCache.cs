namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// The <see cref="SharedFuzzyQuery.Automata"/> of the most recently searched terms, so a word
/// searched again (most searches repeat a few thousand words) reuses its compiled automata
/// instead of building them anew. Bounded, least recently used first out: users can type
/// anything, and one term's automata weigh about 120 KB.
/// </summary>
internal sealed class FuzzyAutomataCache(int capacity)
{
    private readonly System.Threading.Lock gate = new();
    private readonly Dictionary<(string Text, int MaxEdits), LinkedListNode<Entry>> entries = [];
    private readonly LinkedList<Entry> recency = [];

    public int Count
    {
        get
        {
            lock (gate) return entries.Count;
        }
    }

    /// <summary>The holder for the term and edit distance, created empty (filled by its first query) if absent.</summary>
    public SharedFuzzyQuery.Automata For(string text, int maxEdits)
    {
        var key = (text, maxEdits);
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                return node.Value.Automata;
            }
            if (entries.Count >= capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }
            var entry = recency.AddFirst(new Entry(key, new SharedFuzzyQuery.Automata()));
            entries[key] = entry;
            return entry.Value.Automata;
        }
    }

    private readonly record struct Entry((string Text, int MaxEdits) Key, SharedFuzzyQuery.Automata Automata);
}
