namespace TattooDirectory.Bench.Soak;

/// <summary>One slice of the soak timeline: what was answered in it and the app's memory (<see cref="ProcessMemory"/>) at its end.</summary>
internal sealed record SoakSample(int AtSeconds, int Requests, int Writes, int Errors, double P50Ms, double P99Ms, double RssMb, double AnonMb, double FileMb, long SyncBehind);

/// <summary>
/// Counts every answer of the soak by slice: latencies of the reads and writes that succeeded,
/// and errors by kind (an unexpected status, a timeout, a refused connection, a request the
/// harness could not send because too many were already waiting). Thread-safe.
/// </summary>
internal sealed class SoakRecorder
{
    private const int KeptErrors = 20;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _errorKinds = new(StringComparer.Ordinal);
    private readonly List<string> _firstErrors = [];
    private List<double> _slice = [];
    private List<double> _total = [];
    private int _sliceWrites;
    private int _sliceErrors;

    public IReadOnlyDictionary<string, int> ErrorKinds
    {
        get
        {
            lock (_gate) return new SortedDictionary<string, int>(_errorKinds, StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<string> FirstErrors
    {
        get
        {
            lock (_gate) return [.. _firstErrors];
        }
    }

    public void Answered(double milliseconds, bool write)
    {
        lock (_gate)
        {
            _slice.Add(milliseconds);
            if (write) _sliceWrites++;
        }
    }

    public void Failed(string kind, string detail)
    {
        lock (_gate)
        {
            _sliceErrors++;
            _errorKinds[kind] = _errorKinds.GetValueOrDefault(kind) + 1;
            if (_firstErrors.Count < KeptErrors) _firstErrors.Add($"{kind}: {detail}");
        }
    }

    /// <summary>Closes the current slice and starts the next; the closed slice's latencies join the run's.</summary>
    public (int Requests, int Writes, int Errors, Stats Latency) Close()
    {
        List<double> slice;
        int writes, errors;
        lock (_gate)
        {
            (slice, _slice) = (_slice, []);
            (writes, errors) = (_sliceWrites, _sliceErrors);
            (_sliceWrites, _sliceErrors) = (0, 0);
            _total.AddRange(slice);
        }
        return (slice.Count + errors, writes, errors, Stats.Of(slice));
    }

    /// <summary>Latency over every closed slice; forgets what it read, so the warm-up can be left out.</summary>
    public Stats TakeTotal() => Stats.Of(TakeLatencies());

    /// <summary>The latencies of every closed slice, forgotten once read.</summary>
    public List<double> TakeLatencies()
    {
        lock (_gate)
        {
            var total = _total;
            _total = [];
            return total;
        }
    }
}

/// <summary>
/// The memory rule: after the warm-up, the median RSS of the last window is within ±10 % of the
/// median RSS of the first window. Medians, so a single GC's high-water mark does not decide it.
/// </summary>
internal sealed record MemoryVerdict(double FirstMb, double LastMb, double ChangePercent, bool Flat)
{
    public const double Tolerance = 10;

    public static MemoryVerdict Of(IReadOnlyList<SoakSample> samples, TimeSpan warmUp, TimeSpan window)
    {
        var settled = samples.Where(s => s.AtSeconds > warmUp.TotalSeconds).ToList();
        if (settled.Count == 0) return new MemoryVerdict(0, 0, 0, false);
        var firstEnd = settled[0].AtSeconds + window.TotalSeconds;
        var lastStart = settled[^1].AtSeconds - window.TotalSeconds;
        var first = Median(settled.Where(s => s.AtSeconds < firstEnd).Select(s => s.RssMb));
        var last = Median(settled.Where(s => s.AtSeconds > lastStart).Select(s => s.RssMb));
        var change = first == 0 ? 0 : (last - first) / first * 100;
        return new MemoryVerdict(first, last, change, Math.Abs(change) <= Tolerance);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
