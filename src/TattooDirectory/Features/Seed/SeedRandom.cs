namespace TattooDirectory.Features.Seed;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014). Our own generator rather than System.Random, whose
/// algorithm may change between runtimes: the seed dataset must stay byte-identical forever.
/// A mutable struct: pass it by <c>ref</c>.
/// </summary>
internal struct SeedRandom(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private ulong state = state;

    /// <summary>A key for one purpose (ids, names, a kind of entity) derived from the dataset seed.</summary>
    public static ulong KeyFor(ulong seed, SeedPurpose purpose) => Mix(Mix(seed) ^ ((ulong)purpose * Golden));

    /// <summary>An independent stream for one entity, so entity N never depends on entities before it.</summary>
    public static SeedRandom For(ulong key, ulong index) => new(Mix(key + (index * Golden)));

    /// <summary>
    /// The SplitMix64 finaliser. Xor-shifts and multiplications by odd constants are each
    /// invertible, so this is a bijection on 64-bit values: distinct inputs give distinct ids.
    /// </summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        state += Golden;
        return Mix(state);
    }

    /// <summary>Uniform in [0, maxExclusive), by multiply-shift (Lemire), bias below 2^-32.</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}

/// <summary>Each purpose gets its own key so that, say, ids and names never share random bits.</summary>
internal enum SeedPurpose
{
    StudioId = 1,
    Studio,
    StudioCity,
    StudioCapacity,
    StudioName,
    ArtistId,
    Artist,
    ArtistName,
    ArtistCode,
    ImageId,
    Portfolio,
    Artwork,
}

internal static class Base36
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>13 digits hold any 64-bit value (36^13 &gt; 2^64), so fixed width keeps ids uniform.</summary>
    public const int UInt64Width = 13;

    public static string Encode(ulong value, int minWidth = 1)
    {
        Span<char> buffer = stackalloc char[UInt64Width];
        var i = buffer.Length;
        do
        {
            buffer[--i] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value != 0);
        while (buffer.Length - i < minWidth) buffer[--i] = '0';
        return new string(buffer[i..]);
    }
}

/// <summary>
/// A permutation of [0, Size): i ↦ (A·i + B) mod Size with A coprime to Size. Walking it hands
/// out every combination of a word list once before any repeats, without remembering which
/// were used, so memory stays constant however many entities are generated.
/// </summary>
internal readonly record struct IndexShuffle(int Size, int A, int B)
{
    public static IndexShuffle Create(int size, ulong key)
    {
        // Start near the golden ratio of the size so neighbours land far apart.
        var a = Math.Max(1, (int)(size * 0.6180339887));
        while (Gcd(a, size) != 1) a++;
        return new IndexShuffle(size, a, (int)(key % (ulong)size));
    }

    public int At(long index) => (int)(((A * (index % Size)) + B) % Size);

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
