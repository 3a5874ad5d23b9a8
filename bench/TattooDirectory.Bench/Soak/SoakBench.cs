using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using TattooDirectory.Backends.Local;
using TattooDirectory.Bench.Scenarios;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Bench.Soak;

/// <summary>
/// R6: the real app as a child process on a seeded directory, its capacity for the read mix
/// measured first (closed-loop ramp, writes running), then held at 80 % of it for ten minutes
/// (one with --quick) beside concurrent writes, sampled every 10 s: answers, errors, latency,
/// the app's RSS and the sync's backlog. Passes with zero errors and flat memory.
/// </summary>
internal static class SoakBench
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var plan = new SoakPlan(settings.Quick);
        var data = Paths.NewTemp("r6");
        try
        {
            var dataset = new SeedDataset(Corpus.Options(plan.Artists));
            await SeedAsync(dataset, data.FullName, ct);
            await using var web = await DemoWebServer.StartAsync(new DemoWebOptions { Studios = plan.Studios }, cancellationToken: ct);
            var port = AppProcess.FreePort();
            await using var app = AppProcess.Start(port, data.FullName, AppProcess.OperatorArguments(SoakPlan.Token, web));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SoakPlan.Token);
            await app.WaitUntilSearchableAsync(http, "/v1/artists?limit=1", ct);
            var loadBefore = LoadAverage();

            var driver = new SoakDriver(http);
            var mix = new SoakMix(dataset);
            var reads = new SoakReads(driver, mix);
            var writes = new SoakWrites(driver, mix, plan, [.. web.Manifest.Sites.Select(s => s.City).Distinct(StringComparer.Ordinal)]);
            using var stopWrites = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writing = writes.RunAsync(stopWrites.Token);

            var capacity = await reads.MeasureCapacityAsync(plan, ct);
            var target = capacity.PerSecond * SoakPlan.Load;
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  capacity {capacity}; holding {target:N0} req/s for {plan.Duration.TotalMinutes:F0} min")));

            var recorder = driver.Recorder = new SoakRecorder();
            var samples = await HoldAsync(plan, app, http, reads, recorder, target, ct);
            await stopWrites.CancelAsync();
            await writing;
            await driver.DrainAsync();
            var hold = new SoakHold(samples, recorder, target, app.HasExited, loadBefore, LoadAverage());

            Print(samples, plan.SampleEvery);
            return [Result(plan, capacity, hold, writes)];
        }
        finally
        {
            Paths.TryDelete(data.FullName);
        }
    }

    /// <summary>Holds the rate for the plan's duration, closing a sample every 10 s.</summary>
    private static async Task<List<SoakSample>> HoldAsync(SoakPlan plan, AppProcess app, HttpClient http, SoakReads reads, SoakRecorder recorder, double perSecond, CancellationToken ct)
    {
        var samples = new List<SoakSample>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pacing = reads.PaceAsync(perSecond, stop.Token);
        var clock = Stopwatch.StartNew();
        for (var at = plan.SampleEvery; at <= plan.Duration && !app.HasExited; at += plan.SampleEvery)
        {
            var wait = at - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var (requests, writes, errors, latency) = recorder.Close();
            var memory = ProcessMemory.Read(app.ProcessId);
            var sample = new SoakSample((int)at.TotalSeconds, requests, writes, errors, latency.P50, latency.P99, memory.RssMb, memory.AnonMb, memory.FileMb, await SyncBehindAsync(http, ct));
            samples.Add(sample);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  {sample.AtSeconds,4} s: {sample.Requests / plan.SampleEvery.TotalSeconds,6:N0} req/s, {sample.Errors} errors, p50 {sample.P50Ms:F1} ms, p99 {sample.P99Ms:F1} ms, RSS {sample.RssMb:F0} MB (anonymous {sample.AnonMb:F0}, files {sample.FileMb:F0})")));
        }
        await stop.CancelAsync();
        await pacing;
        return samples;
    }

    private static ScenarioResult Result(SoakPlan plan, SoakCapacity capacity, SoakHold hold, SoakWrites writes)
    {
        var (samples, recorder, target, exited, loadBefore, loadAfter) = hold;
        // The requests of the last, partial slice (answered while draining) join the totals.
        var (tailRequests, _, tailErrors, _) = recorder.Close();
        var latency = recorder.TakeTotal();
        var requests = samples.Sum(s => s.Requests) + tailRequests;
        var errors = samples.Sum(s => s.Errors) + tailErrors;
        var seconds = samples.Count * plan.SampleEvery.TotalSeconds;
        var achieved = samples.Sum(s => s.Requests) / Math.Max(1, seconds);
        var memory = MemoryVerdict.Of(samples, plan.WarmUp, plan.MemoryWindow);
        var complete = !exited && seconds >= plan.Duration.TotalSeconds;
        // An error while measuring the capacity is an error of the soak too; no step that held, no capacity to soak at.
        var rampErrors = capacity.Errors.Values.Sum();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{errors:N0} errors in {requests:N0} requests ({rampErrors:N0} while ramping) over {seconds:F0} s at {achieved:N0} req/s ({SoakPlan.Load:P0} of {capacity.PerSecond:N0} measured), {writes.Done.Values.Sum():N0} writes; "
            + $"{latency}; RSS {memory.FirstMb:F0} → {memory.LastMb:F0} MB ({memory.ChangePercent:+0.0;-0.0} %){(exited ? "; the app exited" : "")}");
        var metrics = new Dictionary<string, object>
        {
            ["artists"] = plan.Artists,
            ["capacityPerSecond"] = Math.Round(capacity.PerSecond),
            ["ramp"] = capacity.Steps.Select(s => new
            {
                s.Workers,
                PerSecond = Math.Round(s.PerSecond),
                FirstHalfPerSecond = Math.Round(s.FirstHalfPerSecond),
                SecondHalfPerSecond = Math.Round(s.SecondHalfPerSecond),
                P99Ms = Math.Round(s.P99Ms, 1),
                s.Errors,
                s.Held,
            }).ToList(),
            ["rampRule"] = $"closed-loop steps of {plan.RampStep.TotalSeconds:F0} s, the first {plan.RampSettle.TotalSeconds:F0} s left out; a step holds with no error, p99 ≤ {SoakPlan.RampMaxP99.TotalMilliseconds:F0} ms and its second half at ≥ {SoakStep.MinKept:P0} of its first; capacity = the best step that held, or a slower one that held after it",
            ["rampErrors"] = capacity.Errors,
            ["targetPerSecond"] = Math.Round(target),
            ["achievedPerSecond"] = Math.Round(achieved),
            ["requests"] = requests,
            ["errors"] = errors,
            ["errorKinds"] = recorder.ErrorKinds,
            ["firstErrors"] = recorder.FirstErrors,
            ["writes"] = writes.Done,
            ["latencyMs"] = latency,
            ["memory"] = memory,
            ["memoryRule"] = $"median RSS of the last {plan.MemoryWindow.TotalSeconds:F0} s within ±{MemoryVerdict.Tolerance:F0} % of the median of the first {plan.MemoryWindow.TotalSeconds:F0} s after a {plan.WarmUp.TotalSeconds:F0} s warm-up",
            ["loadAverage"] = new { Before = loadBefore, After = loadAfter },
            ["timeline"] = samples,
        };
        return new ScenarioResult("R6", $"Soak: {plan.Duration.TotalMinutes:F0} min at {SoakPlan.Load:P0} of capacity with concurrent writes, {plan.Artists:N0} artists",
            "zero errors; memory flat (±10 %)", complete && capacity.PerSecond > 0 && errors == 0 && rampErrors == 0 && memory.Flat, summary, metrics);
    }

    /// <summary>What the hold at the target rate saw, and the machine's load average around it (the machine is shared).</summary>
    private sealed record SoakHold(List<SoakSample> Samples, SoakRecorder Recorder, double Target, bool Exited, string LoadBefore, string LoadAfter);

    /// <summary>The directory written straight into the data directory and indexed before the app starts (no images: the soak reads JSON and HTML).</summary>
    private static async Task SeedAsync(SeedDataset dataset, string directory, CancellationToken ct)
    {
        using var stores = new LocalStores(directory, TimeProvider.System);
        var catalog = new ArtistCatalog(stores.Table, stores.BlobStore);
        await catalog.BulkLoadAsync(dataset.Studios(), dataset.Artists().Select(a => (a.Artist, (IReadOnlyList<PortfolioImage>)[.. a.Images.Select(i => i.Image)])), cancellationToken: ct);
        var sync = new IndexSync(stores.Store, stores.Store, stores.Index, catalog, TimeProvider.System, NullLogger<IndexSync>.Instance) { BatchSize = 5000 };
        while ((await sync.RunOnceAsync(ct)).Records > 0) { }
        await sync.FlushAsync(ct);
    }

    private static async Task<long> SyncBehindAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var body = JsonDocument.Parse(await http.GetStringAsync("/v1/admin/sync", ct));
            return body.RootElement.GetProperty("behind").GetInt64();
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Print(List<SoakSample> samples, TimeSpan every)
    {
        var table = new Table().Title("R6 soak timeline").AddColumns("t (s)", "req/s", "writes", "errors", "p50 ms", "p99 ms", "RSS MB", "anon MB", "file MB", "sync behind");
        foreach (var s in samples)
        {
            table.AddRow(string.Create(CultureInfo.InvariantCulture, $"{s.AtSeconds}"), string.Create(CultureInfo.InvariantCulture, $"{s.Requests / every.TotalSeconds:N0}"),
                s.Writes.ToString(CultureInfo.InvariantCulture), s.Errors == 0 ? "0" : $"[red]{s.Errors}[/]", s.P50Ms.ToString("F1", CultureInfo.InvariantCulture),
                s.P99Ms.ToString("F1", CultureInfo.InvariantCulture), s.RssMb.ToString("F0", CultureInfo.InvariantCulture),
                s.AnonMb.ToString("F0", CultureInfo.InvariantCulture), s.FileMb.ToString("F0", CultureInfo.InvariantCulture), s.SyncBehind.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }
}
