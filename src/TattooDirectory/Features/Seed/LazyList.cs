using System.Collections;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// A read-only list built on first access. Portfolios are most of the cost of an artist, and
/// loaders that only index artist records never look at them.
/// </summary>
internal sealed class LazyList<T>(Func<T[]> build) : IReadOnlyList<T>
{
    // Building is deterministic, so if two threads race, either result is the same list.
    private readonly Lazy<T[]> items = new(build, LazyThreadSafetyMode.PublicationOnly);

    public int Count => items.Value.Length;

    public T this[int index] => items.Value[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items.Value).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
