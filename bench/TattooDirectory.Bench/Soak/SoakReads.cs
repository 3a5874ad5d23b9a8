using System.Diagnostics;
using System.Globalization;

namespace TattooDirectory.Bench.Soak;

/// <summary>
/// One step of the capacity ramp, measured after its settling time: reads answered per second,
/// in the first and the second half of the measured time, with the latency and errors of
/// everything sent in it.
/// </summary>
internal sealed record SoakStep(int Workers, double PerSecond, double FirstHalfPerSecond, double SecondHalfPerSecond, double P99Ms, int Errors)
{
    /// <summary>Below this share of the first half's rate, the second half shows the app falling behind (a growing heap, collections catching up).</summary>
    public const double MinKept = 0.8;

    /// <summary>A rate the app sustains: no error, a bounded p99, and as fast at the end as at the start.</summary>
    public bool Held => Errors == 0 && P99Ms <= SoakPlan.RampMaxP99.TotalMilliseconds && SecondHalfPerSecond >= FirstHalfPerSecond * MinKept;
}

/// <summary>
/// The measured capacity: the best rate among the ramp's steps that held
/// (<see cref="SoakStep.Held"/>), unless a later step that held, with more clients, was slower.
/// Once saturated, more clients cannot make the app faster; a slower later step means the best
/// one fell in a quiet spell of the writes (between scrape bursts and reindexes), a rate the app
/// does not keep while they run.
/// </summary>
internal sealed record SoakCapacity(IReadOnlyList<SoakStep> Steps, IReadOnlyDictionary<string, int> Errors)
{
    public double PerSecond
    {
        get
        {
            var held = Steps.Where(s => s.Held).ToList();
            if (held.Count == 0) return 0;
            var best = held.IndexOf(held.MaxBy(s => s.PerSecond)!);
            return held.Skip(best).Min(s => s.PerSecond);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond:N0} req/s ({string.Join(", ", Steps.Select(s => $"{s.Workers} clients {s.PerSecond:N0}/s p99 {s.P99Ms:F0} ms{(s.Held ? "" : " not held")}"))})");
}

/// <summary>
/// The read side of the soak in its two shapes: closed loop (workers that each ask again as soon
/// as they are answered), whose throughput at saturation is the capacity; and open loop (requests
/// sent on a schedule whatever the answers take), which holds a rate the way real visitors do.
/// </summary>
internal sealed class SoakReads(SoakDriver driver, SoakMix mix)
{
    /// <summary>
    /// Requests waiting for an answer beyond which the open loop stops sending and counts the rest
    /// as errors: seconds of load behind, the app is not keeping up. A short pause (a GC, a busy
    /// neighbour on the machine) only shows in the latency.
    /// </summary>
    public const int MaxInFlight = 4096;

    /// <summary>The ramp: closed-loop steps of more and more clients until one does not hold or gains little on the best; errors go in their own recorder.</summary>
    public async Task<SoakCapacity> MeasureCapacityAsync(SoakPlan plan, CancellationToken ct)
    {
        var steps = new List<SoakStep>();
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var workers in plan.RampWorkers)
        {
            var best = steps.Count == 0 ? 0 : steps.Max(s => s.PerSecond);
            var step = await SaturateAsync(workers, plan, errors, ct);
            steps.Add(step);
            if (!step.Held || step.PerSecond < best * SoakPlan.RampGain) break;
        }
        return new SoakCapacity(steps, errors);
    }

    /// <summary>
    /// <paramref name="workers"/> concurrent clients asking back to back for one ramp step; what
    /// is sent after the settling time is measured, in two halves.
    /// </summary>
    private async Task<SoakStep> SaturateAsync(int workers, SoakPlan plan, Dictionary<string, int> errors, CancellationToken ct)
    {
        var settling = driver.Recorder = new SoakRecorder();
        var clock = Stopwatch.StartNew();
        var running = Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var random = new Random(1000 * workers + w);
            while (clock.Elapsed < plan.RampStep && !ct.IsCancellationRequested)
            {
                await driver.SendAsync(mix.NextRead(random), write: false);
            }
        }));
        var half = (plan.RampStep - plan.RampSettle) / 2;
        await Task.Delay(plan.RampSettle, ct);
        var first = driver.Recorder = new SoakRecorder();
        var untilHalf = plan.RampSettle + half - clock.Elapsed;
        if (untilHalf > TimeSpan.Zero) await Task.Delay(untilHalf, ct);
        var second = driver.Recorder = new SoakRecorder();
        await running;
        await driver.DrainAsync();

        // Every recorder's requests were sent in its window; the settling one's only count as errors.
        var (firstRequests, firstWrites, firstErrors, _) = first.Close();
        var (secondRequests, secondWrites, secondErrors, _) = second.Close();
        settling.Close();
        foreach (var recorder in new[] { settling, first, second })
        {
            foreach (var (kind, count) in recorder.ErrorKinds) errors[kind] = errors.GetValueOrDefault(kind) + count;
        }
        var latency = Stats.Of([.. first.TakeLatencies(), .. second.TakeLatencies()]);
        var firstRate = (firstRequests - firstWrites - firstErrors) / half.TotalSeconds;
        var secondRate = (secondRequests - secondWrites - secondErrors) / half.TotalSeconds;
        return new SoakStep(workers, (firstRate + secondRate) / 2, firstRate, secondRate, latency.P99, settling.ErrorKinds.Values.Sum() + firstErrors + secondErrors);
    }

    /// <summary>Sends <paramref name="perSecond"/> reads a second, spread evenly, until cancelled; then waits for their answers.</summary>
    public async Task PaceAsync(double perSecond, CancellationToken ct)
    {
        var random = new Random(7);
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (!ct.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond);
            for (; sent < due; sent++)
            {
                var request = mix.NextRead(random);
                if (driver.InFlight >= MaxInFlight) driver.Recorder.Failed($"{request.Kind} not sent", $"{MaxInFlight} requests already waiting for an answer");
                else _ = driver.SendAsync(request, write: false);
            }
            try
            {
                await Task.Delay(2, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await driver.DrainAsync();
    }
}
