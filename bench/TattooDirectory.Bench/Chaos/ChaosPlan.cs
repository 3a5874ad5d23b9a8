namespace TattooDirectory.Bench.Chaos;

/// <summary>
/// What one chaos run does: how many kills, the seed of every random choice the harness makes
/// (kill moments, operations), and the bounds of the load. The app's own timing is not
/// reproducible, so a seed replays the harness's choices, not the interleaving.
/// </summary>
internal sealed record ChaosPlan(int Kills, int Seed, bool Quick)
{
    public const string Token = "chaos-operator-token-0123456789";

    /// <summary>Concurrent load workers: enough for overlapping writes, few enough for a 2-core machine.</summary>
    public int Workers => 2;

    /// <summary>Removal requests submitted at most: about one for every two kills, so most of the seeded 320 artists stay.</summary>
    public int MaxRequests => Math.Max(6, Kills * 2);

    /// <summary>Studio sites the demo web serves (each with 1–8 artists).</summary>
    public int Studios => Quick ? 3 : 6;

    /// <summary>How long the app may take after the last restart to catch up, drain and finish purges and runs.</summary>
    public TimeSpan SettleTimeout => Quick ? TimeSpan.FromSeconds(90) : TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether the settled app must also have drained the scrape queue and finished every run. A
    /// job in flight at a kill stays hidden for the queue's 300 s visibility timeout, so the
    /// short run instead holds every job to completed, dead-lettered or still queued for delivery.
    /// </summary>
    public bool RequireDrained => !Quick;

    /// <summary>The share of lives long enough for a run to reach its scrape jobs; the short run has few lives, so more of them are long.</summary>
    public double LongLives => Quick ? 0.5 : 0.2;

    public IReadOnlyList<string> Cities { get; init; } = [];

    /// <summary>The life (0-based) the app is in; the load reads it to pace aggregation runs.</summary>
    public int Life { get; set; }

    /// <summary>One run at the start; the long run starts a second one halfway, over the first's remains.</summary>
    public bool WantsRun(int started) => started == 0 || (!Quick && started == 1 && Life >= Kills / 2);
}
