using System.Diagnostics;
using System.Globalization;

namespace TattooDirectory.Bench.Soak;

/// <summary>The measured capacity: the best answers per second over the ramp's steps.</summary>
internal sealed record SoakCapacity(IReadOnlyList<(int Workers, double PerSecond)> Steps, IReadOnlyDictionary<string, int> Errors)
{
    public double PerSecond => Steps.Max(s => s.PerSecond);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond:N0} req/s ({string.Join(", ", Steps.Select(s => $"{s.Workers} clients {s.PerSecond:N0}/s"))})");
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

    /// <summary>The ramp: closed-loop steps of more and more clients until one gains little on the best; errors go in their own recorder.</summary>
    public async Task<SoakCapacity> MeasureCapacityAsync(SoakPlan plan, CancellationToken ct)
    {
        var steps = new List<(int Workers, double PerSecond)>();
        var recorder = driver.Recorder = new SoakRecorder();
        foreach (var workers in plan.RampWorkers)
        {
            var best = steps.Count == 0 ? 0 : steps.Max(s => s.PerSecond);
            steps.Add((workers, await SaturateAsync(workers, plan.RampStep, ct)));
            if (steps[^1].PerSecond < best * SoakPlan.RampGain) break;
        }
        await driver.DrainAsync();
        return new SoakCapacity(steps, recorder.ErrorKinds);
    }

    /// <summary>Answers per second with <paramref name="workers"/> concurrent clients asking back to back.</summary>
    private async Task<double> SaturateAsync(int workers, TimeSpan duration, CancellationToken ct)
    {
        var answered = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var random = new Random(1000 + w);
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                if (await driver.SendAsync(mix.NextRead(random), write: false) is not null) Interlocked.Increment(ref answered);
            }
        }));
        return answered / clock.Elapsed.TotalSeconds;
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
