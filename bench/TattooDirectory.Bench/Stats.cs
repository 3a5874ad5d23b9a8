namespace TattooDirectory.Bench;

/// <summary>Summary of a list of samples in milliseconds: medians and tails, never means alone.</summary>
public sealed record Stats(int Count, double Min, double P50, double P90, double P99, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) return new Stats(0, 0, 0, 0, 0, 0);
        var sorted = samples.Order().ToArray();
        return new Stats(sorted.Length, sorted[0], Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p)
    {
        // Nearest-rank: the smallest sample with at least p of the samples at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public override string ToString() => $"p50 {P50:F2} ms · p90 {P90:F2} ms · p99 {P99:F2} ms · max {Max:F2} ms (n={Count})";
}
