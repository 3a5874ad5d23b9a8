using System.Diagnostics;
using System.Net;
using TattooDirectory.Bench.Scenarios;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Bench.Chaos;

/// <summary>What a chaos run did and found.</summary>
internal sealed record ChaosOutcome(
    ChaosPlan Plan, int Kills, TimeSpan Wall, TimeSpan Settle, ChaosLedger Ledger, IReadOnlyDictionary<string, int> KillsByMoment,
    IReadOnlyList<Invariant> Invariants, IReadOnlyList<string> Failures, IReadOnlyList<string> AppOutput)
{
    public bool Passed => Failures.Count == 0 && Invariants.All(i => i.Held);
}

/// <summary>
/// R1: the real app as a child process on one data directory and port, under the mixed load,
/// SIGKILLed at random moments (during startup and seeding, sync passes, scrape jobs, purges,
/// reindexes) and started again, then settled and held to the invariants.
/// </summary>
internal static class ChaosRun
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    public static async Task<ChaosOutcome> RunAsync(ChaosPlan plan, Action<string> say, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var random = new Random(plan.Seed);
        var data = Paths.NewTemp("chaos");
        var failures = new List<string>();
        IReadOnlyList<string> output = [];
        var ledger = new ChaosLedger();
        await using var web = await DemoWebServer.StartAsync(new DemoWebOptions { Studios = plan.Studios }, cancellationToken: ct);
        plan = plan with { Cities = [.. web.Manifest.Sites.Select(s => s.City).Distinct(StringComparer.Ordinal)] };
        var port = AppProcess.FreePort();
        using var api = new ChaosClient(new Uri($"http://127.0.0.1:{port}"), ChaosPlan.Token);
        var monitor = new ChaosMonitor(api);
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = new ChaosLoad(api, ledger, plan).RunAsync(stopLoad.Token);
        var watching = monitor.RunAsync(stopLoad.Token);
        var kills = 0;
        var settle = TimeSpan.Zero;
        var checks = new ChaosChecks(api, ledger, plan);
        try
        {
            for (var life = 0; life < plan.Kills && failures.Count == 0; life++)
            {
                plan.Life = life;
                monitor.NewLife();
                await using var app = AppProcess.Start(port, data.FullName, AppProcess.OperatorArguments(ChaosPlan.Token, web));
                // The first two lives always die during startup: the first one (later, past the
                // runtime's own start) while it seeds the empty store.
                var duringStartup = life < 2 || random.NextDouble() < 0.2;
                if (duringStartup) await Task.Delay(TimeSpan.FromMilliseconds(life == 0 ? random.Next(800, 4000) : random.Next(30, 1500)), ct);
                else if (!await AliveAsync(app, api, ct)) failures.Add($"life {life + 1}: the app did not answer /alive within {StartLimit.TotalSeconds:F0} s");
                else await Task.Delay(ServingTime(plan, random), ct);

                if (app.HasExited)
                {
                    failures.Add($"life {life + 1}: the app exited on its own before the kill");
                    output = app.RecentOutput;
                    break;
                }

                monitor.Killed(firstLife: life == 0);
                await app.KillAsync();
                kills++;
                if (kills % 10 == 0) say($"{kills} kills, {ledger.TotalAcknowledged} operations acknowledged, {wall.Elapsed.TotalSeconds:F0} s");
            }

            plan.Life = plan.Kills;
            await using var last = AppProcess.Start(port, data.FullName, AppProcess.OperatorArguments(ChaosPlan.Token, web));
            if (failures.Count == 0 && !await AliveAsync(last, api, ct)) failures.Add("the last start did not answer /alive");
            await stopLoad.CancelAsync();
            await Task.WhenAll(load, watching);
            if (failures.Count == 0)
            {
                var settling = Stopwatch.StartNew();
                if (await SettleAsync(api, plan, ct) is { } unsettled) failures.Add(unsettled);
                settle = settling.Elapsed;
                say($"settled in {settle.TotalSeconds:F0} s; checking");
                await checks.OnlineAsync(ct);
                // The relay and the index commit run on their own clocks (a commit wakes the relay; the index commits within 1 s).
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await last.StopAsync(TimeSpan.FromSeconds(30));
                await checks.OfflineAsync(data.FullName, ct);
            }

            if (failures.Count > 0 || checks.Results.Any(r => !r.Held)) output = last.RecentOutput;
        }
        finally
        {
            await stopLoad.CancelAsync();
            await Task.WhenAll(load, watching);
            Paths.TryDelete(data.FullName);
        }

        return new ChaosOutcome(plan, kills, wall.Elapsed, settle, ledger, monitor.KillsByMoment, checks.Results, failures, output);
    }

    /// <summary>
    /// Mostly short lives, so kills land in every kind of work; some long enough for an
    /// aggregation run (whose steps restart after a kill) to get as far as its scrape jobs.
    /// </summary>
    private static TimeSpan ServingTime(ChaosPlan plan, Random random) =>
        TimeSpan.FromMilliseconds(random.NextDouble() < plan.LongLives ? random.Next(3_000, 12_000) : random.Next(100, 3_000));

    private static async Task<bool> AliveAsync(AppProcess app, ChaosClient api, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit && !app.HasExited)
        {
            if ((await api.GetAsync("/alive", ct))?.Status == HttpStatusCode.OK) return true;
            await Task.Delay(50, ct);
        }
        return false;
    }

    /// <summary>Waits for the sync to catch up, every purge to finish and (in the long run) the queue to drain and every run to end; returns why not, if it never does.</summary>
    private static async Task<string?> SettleAsync(ChaosClient api, ChaosPlan plan, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var why = "no answer";
        while (clock.Elapsed < plan.SettleTimeout)
        {
            var sync = await api.RequireAsync<SyncDto>("/v1/admin/sync", ct);
            var approved = await api.RequireAsync<RequestList>("/v1/admin/removal-requests?status=approved&limit=1", ct);
            var scrape = (await api.RequireAsync<QueueList>("/v1/admin/queues", ct)).Items.Single(q => q.Name == "scrape");
            var running = (await api.RequireAsync<RunList>("/v1/admin/aggregation-runs?limit=1000", ct)).Items.Count(r => r.Status == "RUNNING");
            why = sync.Behind > 0 || sync.LastError is not null || sync.Reindex.State != "idle"
                ? $"sync behind {sync.Behind} (error {sync.LastError ?? "none"}, reindex {sync.Reindex.State})"
                : approved.Items.Count > 0 ? "a purge is still running"
                : plan.RequireDrained && scrape.Visible + scrape.InFlight + scrape.Delayed > 0 ? $"scrape queue holds {scrape.Visible + scrape.InFlight + scrape.Delayed} jobs"
                : plan.RequireDrained && running > 0 ? $"{running} aggregation run(s) still running"
                : "";
            if (why.Length == 0) return null;
            await Task.Delay(500, ct);
        }
        return $"the app did not settle within {plan.SettleTimeout.TotalSeconds:F0} s: {why}";
    }

    private sealed record SyncDto(long Behind, string? LastError, ReindexDto Reindex);

    private sealed record ReindexDto(string State);

    private sealed record RequestList(List<object> Items);

    private sealed record QueueList(List<QueueDto> Items);

    private sealed record QueueDto(string Name, int Visible, int InFlight, int Delayed);

    private sealed record RunList(List<RunDto> Items);

    private sealed record RunDto(string Status);
}
