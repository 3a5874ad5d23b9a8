namespace TattooDirectory.Features.Metrics;

/// <summary>
/// Durations counted in logarithmic buckets (each 15 % wider than the one before, from 1 µs), so
/// any percentile is known within about 7 % from a few dozen counters however many requests came,
/// and sketches of different slots or routes merge by adding counts.
/// </summary>
internal sealed class LatencySketch
{
    private const double Smallest = 1e-6;
    private static readonly double LogGrowth = Math.Log(1.15);

    private readonly SortedDictionary<int, long> _counts = [];

    public long Count { get; private set; }

    public void Record(double seconds, long count = 1)
    {
        var index = seconds <= Smallest ? 0 : (int)Math.Ceiling(Math.Log(seconds / Smallest) / LogGrowth);
        _counts[index] = _counts.GetValueOrDefault(index) + count;
        Count += count;
    }

    public void Add(CompactSketch other)
    {
        for (var i = 0; i < other.Indexes.Length; i++)
        {
            _counts[other.Indexes[i]] = _counts.GetValueOrDefault(other.Indexes[i]) + other.Counts[i];
            Count += other.Counts[i];
        }
    }

    /// <summary>The value below which <paramref name="quantile"/> of the durations fall (the bucket's geometric middle); null when empty.</summary>
    public double? Quantile(double quantile)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        foreach (var (index, count) in _counts)
        {
            seen += count;
            if (seen >= rank) return index == 0 ? Smallest : Smallest * Math.Exp((index - 0.5) * LogGrowth);
        }
        return null;
    }

    /// <summary>The counts as two arrays: what a slot keeps for 24 hours.</summary>
    public CompactSketch Compact() => new([.. _counts.Keys], [.. _counts.Values]);
}

/// <summary>A sealed <see cref="LatencySketch"/>: bucket indexes and their counts.</summary>
internal sealed record CompactSketch(int[] Indexes, long[] Counts)
{
    public long Total => Counts.Sum();
}
