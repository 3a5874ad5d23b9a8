using System.Diagnostics;

namespace TattooDirectory.Bench.Chaos;

/// <summary>
/// Watches what the app is doing (sync lag, scrape jobs, purges, reindex) a few times a second,
/// so each kill can be told apart by the work it interrupted.
/// </summary>
internal sealed class ChaosMonitor(ChaosClient api)
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, int> _kills = new(StringComparer.Ordinal);
    private volatile Sample? _last;

    /// <summary>Kills by what was under way (a kill can count under several).</summary>
    public IReadOnlyDictionary<string, int> KillsByMoment
    {
        get
        {
            lock (_kills) return new SortedDictionary<string, int>(_kills, StringComparer.Ordinal);
        }
    }

    /// <summary>Forgets the previous life's state, so a kill before the first sample counts as during startup.</summary>
    public void NewLife() => _last = null;

    public void Killed(bool firstLife)
    {
        var sample = _last;
        var moments = new List<string>();
        if (sample is null || _clock.Elapsed - sample.At > Fresh) moments.Add(firstLife ? "startup (seeding)" : "startup");
        else
        {
            moments.Add("serving");
            if (sample.SyncBehind > 0) moments.Add("sync behind");
            if (sample.Scraping > 0) moments.Add("scrape jobs in flight");
            if (sample.Purging) moments.Add("purge running");
            if (sample.Reindexing) moments.Add("reindex running");
            if (sample.RunActive) moments.Add("aggregation run active");
        }

        lock (_kills)
        {
            foreach (var moment in moments) _kills[moment] = _kills.GetValueOrDefault(moment) + 1;
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var sync = await api.GetAsync("/v1/admin/sync", ct);
                var queues = await api.GetAsync("/v1/admin/queues", ct);
                var purging = await api.GetAsync("/v1/admin/removal-requests?status=approved&limit=1", ct);
                var runs = await api.GetAsync("/v1/admin/aggregation-runs?limit=5", ct);
                if (sync?.Is(System.Net.HttpStatusCode.OK) == true && queues?.Is(System.Net.HttpStatusCode.OK) == true
                    && purging?.Is(System.Net.HttpStatusCode.OK) == true && runs?.Is(System.Net.HttpStatusCode.OK) == true)
                {
                    var s = sync.Read<SyncDto>();
                    var q = queues.Read<QueueList>().Items.Where(i => i.Name == "scrape").Sum(i => i.InFlight);
                    _last = new Sample(_clock.Elapsed, s.Behind, q, purging.Read<RequestList>().Items.Count > 0, s.Reindex.State == "running",
                        runs.Read<RunList>().Items.Any(r => r.Status == "RUNNING"));
                }

                await Task.Delay(Every, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (System.Text.Json.JsonException)
            {
                // An answer cut off by a kill; the next sample will do.
            }
        }
    }

    private sealed record Sample(TimeSpan At, long SyncBehind, int Scraping, bool Purging, bool Reindexing, bool RunActive);

    private sealed record SyncDto(long Behind, ReindexDto Reindex);

    private sealed record ReindexDto(string State);

    private sealed record QueueList(List<QueueDto> Items);

    private sealed record QueueDto(string Name, int InFlight);

    private sealed record RequestList(List<object> Items);

    private sealed record RunList(List<RunDto> Items);

    private sealed record RunDto(string Status);
}
