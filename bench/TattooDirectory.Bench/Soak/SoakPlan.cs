namespace TattooDirectory.Bench.Soak;

/// <summary>The shape of one soak run (R6): the directory's size, the capacity ramp, the hold, the writes and the memory rule's windows.</summary>
internal sealed record SoakPlan(bool Quick)
{
    public const string Token = "soak-operator-token-0123456789";

    /// <summary>The share of the measured capacity the soak holds.</summary>
    public const double Load = 0.8;

    public int Artists => Quick ? 2_000 : 10_000;

    /// <summary>Studio sites of the demo web the aggregation runs scrape.</summary>
    public int Studios => 3;

    /// <summary>
    /// Concurrent closed-loop clients of the capacity ramp, one step after another, until a step
    /// gains less than <see cref="RampGain"/> on the best so far or does not hold
    /// (<see cref="SoakStep.Held"/>); <see cref="SoakCapacity"/> reads the capacity from the steps that held.
    /// </summary>
    public IReadOnlyList<int> RampWorkers => [8, 16, 32, 64, 128, 256];

    public const double RampGain = 1.05;

    /// <summary>
    /// Long enough for the garbage collector to reach its steady state (heaps sized, gen1 and gen2
    /// collections in the mix) and for a rate the app only reaches in bursts to show as one it
    /// cannot keep: a few seconds measured the JIT warming up and the heap still growing.
    /// </summary>
    public TimeSpan RampStep => TimeSpan.FromSeconds(Quick ? 12 : 30);

    /// <summary>The start of each step, left out of its rate and latency: the clients' queue settling after the change of concurrency.</summary>
    public TimeSpan RampSettle => RampStep / 3;

    /// <summary>A step's p99 above this is a backlog, not a rate the app sustains.</summary>
    public static TimeSpan RampMaxP99 => TimeSpan.FromSeconds(1);

    public TimeSpan Duration => Quick ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(10);

    public TimeSpan SampleEvery => TimeSpan.FromSeconds(10);

    /// <summary>Left out of the memory rule: the runtime sizes its heaps and the caches fill.</summary>
    public TimeSpan WarmUp => Duration / 5;

    /// <summary>The first and the last windows after the warm-up whose median RSS the rule compares.</summary>
    public TimeSpan MemoryWindow => Duration / 5;

    /// <summary>Each writer's pace (two writers: requester and operator).</summary>
    public TimeSpan WriteInterval => TimeSpan.FromMilliseconds(250);

    public TimeSpan ReindexEvery => Quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(2);

    /// <summary>Aggregation runs: one when the writes start, and in the long run one more halfway through.</summary>
    public int Runs => Quick ? 1 : 2;

    public TimeSpan RunEvery => Duration / 2;
}
