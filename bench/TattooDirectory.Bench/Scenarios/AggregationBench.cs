using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Features.Aggregation.Scraping;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Scheduling;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B8: one aggregation run of the real app (child process, empty data directory, default
/// politeness) against the offline demo web, served in this process with its images drawn
/// beforehand. The harness samples the scrape queue and the number of searchable artists every
/// 250 ms, so the run's start → last artist stored → queue drained → SUCCEEDED can be told apart:
/// the last step waits for the state machine's next 30 s drain poll.
/// </summary>
public static class AggregationBench
{
    private const string Token = "bench-operator-token-0123456789";
    private const double GoalArtistsPerSecond = 10;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Unanswered = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var studios = settings.Quick ? 40 : 220;
        // The demo web's broken pages (500, no answer) are retried by redelivery: visibility 300 s,
        // 3 receives, dead-lettered on the fourth. So no run drains in much under 15 minutes.
        // A job first tried late in the run is dead-lettered 15 minutes after that; the state machine
        // itself stops waiting for the queue 2 hours after queueing.
        var deadline = settings.Quick ? TimeSpan.FromMinutes(60) : TimeSpan.FromMinutes(180);
        var data = Paths.NewTemp("b8");
        try
        {
            // 5,000 images do not fit the default 512 MiB cache; uncached ones would be drawn during the run.
            await using var web = await DemoWebServer.StartAsync(new DemoWebOptions { Studios = studios, ImageCacheBytes = 3L << 30 }, cancellationToken: ct);
            await web.WarmImagesAsync(ct);
            var expected = Expected.From(web.Manifest);

            var port = AppProcess.FreePort();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await using var app = AppProcess.Start(port, data.FullName, AppArguments(web));
            await WaitUntilReadyAsync(http, ct);

            var runId = await StartRunAsync(http, expected.Cities, ct);
            var (run, samples) = await WatchAsync(http, runId, deadline, ct);
            var images = CountImages(data.FullName);
            return [Result(run, samples, images, expected, studios)];
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            // The command line swallows cancellations silently; this one is a timeout and must be seen.
            throw new TimeoutException($"B8: an operation timed out: {ex.Message}", ex);
        }
        finally
        {
            Paths.TryDelete(data.FullName);
        }
    }

    /// <summary>The demo web's settings; politeness (per host 2 at once, 1 s apart) and worker counts stay at their defaults.</summary>
    private static List<string> AppArguments(DemoWebServer web) =>
    [
        $"--Admin:Token={Token}",
        "--Seed:OnStart=false",
        "--RateLimits:SearchPerMinute=1000000",
        // A 02:00 UTC run starting during the bench would share the queue and the demo web.
        $"--Scheduling:Rules:{SchedulingOptions.AggregationDaily}:Enabled=false",
        .. web.AppSettings.Select(s => $"--{s.Key}={s.Value}"),
    ];

    private static ScenarioResult Result(RunDetail detail, List<Sample> samples, (int Portfolio, int Avatars) images, Expected expected, int studios)
    {
        var run = detail.Run;
        var summary = run.Summary ?? throw new InvalidOperationException($"B8: run {run.RunId} succeeded without a summary.");
        var scraped = summary.New + summary.Updated + summary.Unchanged;
        if (scraped == 0)
        {
            throw new InvalidOperationException($"B8: run {run.RunId} scraped no artist (found {summary.ArtistsFound}, queued {summary.Queued}, failed {summary.Failed}, skipped {summary.Skipped}); is the demo web allow-listed?");
        }

        var start = run.StartedAt;
        double? Since(DateTimeOffset? at) => at is { } t ? (t - start).TotalSeconds : null;
        var stoppedAt = run.StoppedAt ?? samples[^1].At;
        DateTimeOffset? StateAt(string type, string state) => detail.History.FirstOrDefault(e => e.Type == type && e.State == state)?.Timestamp;
        var discoveredAt = StateAt("TaskStateExited", "DiscoverStudios");
        var candidatesAt = StateAt("MapStateExited", "FindArtists");
        var queuedAt = StateAt("TaskStateExited", "QueueScraping");

        // The last artist: the first sample at the final count (search sees a write within milliseconds).
        var artists = samples.Max(s => s.Artists);
        var lastArtistAt = samples.First(s => s.Artists == artists).At;
        // Drained as CheckQueueDrained sees it: nothing visible, in flight or delayed, once the jobs were sent.
        var firstBusy = samples.FirstOrDefault(s => s.Pending > 0)?.At;
        var drainedAt = samples.FirstOrDefault(s => s.Pending == 0 && s.At >= (queuedAt ?? firstBusy ?? DateTimeOffset.MaxValue))?.At;
        var toLastArtist = (lastArtistAt - start).TotalSeconds;
        var toDrained = ((drainedAt ?? stoppedAt) - start).TotalSeconds;
        var wall = (stoppedAt - start).TotalSeconds;
        var perSecond = scraped / toDrained;
        var perSecondToLast = scraped / toLastArtist;
        double? scrapingPerSecond = queuedAt is { } q && lastArtistAt > q ? scraped / (lastArtistAt - q).TotalSeconds : null;
        var fetch = new FetchOptions();
        var scrape = new ScrapeOptions();

        var metrics = new Dictionary<string, object>
        {
            ["runId"] = run.RunId,
            ["studiosServed"] = studios,
            ["artistsServed"] = expected.Artists,
            ["artistsExpectedScraped"] = expected.Scrapable,
            ["imagesExpected"] = expected.Images,
            ["studiosDiscovered"] = summary.Studios,
            ["studiosFailed"] = summary.StudiosFailed,
            ["artistsFound"] = summary.ArtistsFound,
            ["artistsQueued"] = summary.Queued,
            ["artistsScraped"] = scraped,
            ["artistsNew"] = summary.New,
            ["artistsSkipped"] = summary.Skipped,
            ["artistsFailed"] = summary.Failed,
            ["artistsDeadLettered"] = summary.DeadLettered,
            ["artistsSearchable"] = artists,
            ["imagesStored"] = images.Portfolio,
            ["avatarsStored"] = images.Avatars,
            ["drained"] = summary.Drained,
            ["artistsPerSecond"] = Math.Round(perSecond, 3),
            ["artistsPerSecondToLastArtist"] = Math.Round(perSecondToLast, 3),
            ["lastArtistAtSeconds"] = Math.Round(toLastArtist, 2),
            ["succeededAtSeconds"] = Math.Round(wall, 2),
            ["politeness"] = $"{fetch.PerHostConcurrency} per host, {fetch.MinHostInterval.TotalSeconds:F0} s apart, {fetch.GlobalConcurrency} in flight overall; {scrape.Concurrency} scrape jobs at once (defaults)",
        };
        // Seconds from the run's start (absent when the history or the samples do not show the moment).
        void Put(string key, double? value)
        {
            if (value is { } v && double.IsFinite(v)) metrics[key] = Math.Round(v, 3);
        }

        Put("artistsPerSecondWhileScraping", scrapingPerSecond);
        Put("studiosDiscoveredAtSeconds", Since(discoveredAt));
        Put("artistsFoundAtSeconds", Since(candidatesAt));
        Put("jobsQueuedAtSeconds", Since(queuedAt));
        Put("queueDrainedAtSeconds", Since(drainedAt));
        // What the run's 30 s Wait between drain checks (and Report) adds after the queue is empty.
        Put("drainPollCostSeconds", drainedAt is { } d ? (stoppedAt - d).TotalSeconds : null);
        // Every 30 s from the start: [seconds, artists stored, jobs pending, dead letters].
        metrics["timeline"] = samples.GroupBy(s => (int)((s.At - start).TotalSeconds / 30))
            .Select(g => g.Last())
            .Select(x => new[] { Math.Round((x.At - start).TotalSeconds), x.Artists, x.Pending, x.DeadLetters })
            .ToList();
        var summaryText = string.Create(CultureInfo.InvariantCulture,
            $"{perSecond:F2} artists/s ({scraped} scraped ÷ {toDrained:F0} s start→queue drained); {perSecondToLast:F2}/s to the last artist at {toLastArtist:F0} s; " +
            $"SUCCEEDED at {wall:F0} s; found {summary.ArtistsFound}, scraped {scraped}, failed {summary.Failed + summary.DeadLettered}, skipped {summary.Skipped}; " +
            $"{images.Portfolio} images stored (demo web: {expected.Images} usable, {expected.Artists} artists on {studios} sites)");
        return new ScenarioResult("B8", "Aggregation of the offline demo web (start → queue drained, default politeness)", "≥ 10 artists/s",
            perSecond >= GoalArtistsPerSecond, summaryText, metrics);
    }

    /// <summary>Samples the queue and the artist count until the run stops; fails fast on a failed run, a silent app or the deadline.</summary>
    private static async Task<(RunDetail Run, List<Sample> Samples)> WatchAsync(HttpClient http, string runId, TimeSpan deadline, CancellationToken ct)
    {
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        try
        {
            return await SampleUntilStoppedAsync(http, runId, deadline, samples, clock, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by a signal (Ctrl+C, SIGTERM): say so, and what had been measured, before the app is killed.
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  B8 stopped by a termination request after {clock.Elapsed.TotalSeconds:F0} s of run {runId}; last sample: {samples.LastOrDefault()}")));
            throw;
        }
    }

    private static async Task<(RunDetail Run, List<Sample> Samples)> SampleUntilStoppedAsync(
        HttpClient http, string runId, TimeSpan deadline, List<Sample> samples, Stopwatch clock, CancellationToken ct)
    {
        var lastAnswer = Stopwatch.StartNew();
        var nextStatus = TimeSpan.Zero;
        var nextProgress = ProgressEvery;
        var status = "RUNNING";
        while (true)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"B8: run {runId} was still {status} after {deadline.TotalMinutes:F0} min (last sample: {samples.LastOrDefault()}).");
            }

            try
            {
                var queue = (await GetAsync<QueueList>(http, "/v1/admin/queues", ct)).Items.FirstOrDefault(q => q.Name == "scrape")
                    ?? throw new InvalidOperationException("B8: GET /v1/admin/queues lists no 'scrape' queue.");
                var artists = (await GetAsync<SearchPage>(http, "/v1/artists?limit=1", ct)).Total;
                samples.Add(new Sample(DateTimeOffset.UtcNow, queue.Visible + queue.InFlight + queue.Delayed, queue.DeadLetters, artists));
                if (clock.Elapsed >= nextStatus)
                {
                    nextStatus = clock.Elapsed + StatusEvery;
                    var run = await GetAsync<RunDetail>(http, $"/v1/admin/aggregation-runs/{runId}", ct);
                    status = run.Run.Status;
                    if (status == "SUCCEEDED") return (run, samples);
                    if (status != "RUNNING") throw new InvalidOperationException($"B8: run {runId} ended {status}: {Cause(run)}");
                }

                lastAnswer.Restart();
            }
            catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
            {
                if (lastAnswer.Elapsed > Unanswered)
                {
                    throw new InvalidOperationException($"B8: the app has not answered for {Unanswered.TotalSeconds:F0} s during run {runId} (did it exit?): {ex.Message}", ex);
                }
            }

            if (clock.Elapsed >= nextProgress && samples.Count > 0)
            {
                nextProgress = clock.Elapsed + ProgressEvery;
                var last = samples[^1];
                AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"  B8 {clock.Elapsed.TotalSeconds:F0} s: {status}, {last.Artists} artists stored, {last.Pending} jobs pending, {last.DeadLetters} dead letters")));
            }

            await Task.Delay(SampleEvery, ct);
        }
    }

    private static string Cause(RunDetail run) =>
        run.History.LastOrDefault(e => e.Error is not null || e.Cause is not null) is { } failed
            ? $"{failed.Error} in {failed.State ?? failed.Type}: {failed.Cause}"
            : "no error in the run's history";

    /// <summary>The app answers /alive and accepts the admin token.</summary>
    private static async Task WaitUntilReadyAsync(HttpClient http, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var alive = await http.GetAsync("/alive", ct);
                if (alive.IsSuccessStatusCode)
                {
                    await GetAsync<QueueList>(http, "/v1/admin/queues", ct);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException("B8: the app did not answer /alive within 120 s (check that it starts with the demo web's settings).");
    }

    private static async Task<string> StartRunAsync(HttpClient http, IReadOnlyList<string> cities, CancellationToken ct)
    {
        // The cities go in the run's input: it replaces the configured list outright.
        using var response = await http.PostAsJsonAsync("/v1/admin/aggregation-runs", new { cities }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"B8: starting the run answered {(int)response.StatusCode}: {Trim(body)}");
        return JsonSerializer.Deserialize<StartedRun>(body, JsonSerializerOptions.Web)?.RunId
            ?? throw new InvalidOperationException($"B8: starting the run answered without a run id: {Trim(body)}");
    }

    /// <summary>A 5xx or a dropped connection is an <see cref="HttpRequestException"/> (worth another sample); any other refusal is fatal.</summary>
    private static async Task<T> GetAsync<T>(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var code = (int)response.StatusCode;
        if (code >= 500) throw new HttpRequestException($"GET {path} answered {code}: {Trim(body)}");
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"B8: GET {path} answered {code}: {Trim(body)}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web) ?? throw new InvalidOperationException($"B8: GET {path} answered null.");
    }

    private static string Trim(string body) => body.Length <= 500 ? body : body[..500] + "…";

    /// <summary>Stored WebP files: each portfolio image is a full size and a thumbnail, an avatar only a thumbnail.</summary>
    private static (int Portfolio, int Avatars) CountImages(string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "blobs");
        if (!Directory.Exists(root)) return (0, 0);
        var names = Directory.EnumerateFiles(root, "*.webp", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>().ToList();
        var full = names.Count(n => n.EndsWith(".webp", StringComparison.Ordinal) && !n.EndsWith("-thumb.webp", StringComparison.Ordinal));
        var thumbnails = names.Count(n => n.EndsWith("-thumb.webp", StringComparison.Ordinal));
        return (full, thumbnails - full);
    }

    /// <summary>What the demo web says a polite, safe scrape ends up with.</summary>
    private sealed record Expected(IReadOnlyList<string> Cities, int Artists, int Scrapable, int Images)
    {
        public static Expected From(DemoWebManifest manifest)
        {
            var artists = manifest.Sites.SelectMany(s => s.Artists).ToList();
            var cities = manifest.Sites.Select(s => s.City).Concat(manifest.WithoutWebsite.Select(l => l.City)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new Expected(
                cities,
                artists.Count,
                artists.Count(a => a.Expect is ArtistOutcome.Scraped or ArtistOutcome.HandleOnly),
                artists.Where(a => a.Expect == ArtistOutcome.Scraped).Sum(a => a.Images.Count(i => i.Usable)));
        }
    }

    private sealed record Sample(DateTimeOffset At, int Pending, int DeadLetters, int Artists);

    private sealed record StartedRun(string RunId);

    private sealed record SearchPage(int Total);

    private sealed record QueueList(List<QueueStats> Items);

    private sealed record QueueStats(string Name, int Visible, int InFlight, int Delayed, int DeadLetters);

    private sealed record RunDetail(RunInfo Run, List<RunEvent> History);

    private sealed record RunInfo(string RunId, string Status, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt, RunCounts? Summary);

    private sealed record RunCounts(
        int Studios, int StudiosFailed, int ArtistsFound, int Queued, int New, int Updated, int Unchanged, int Skipped, int Failed, int DeadLettered, bool Drained);

    private sealed record RunEvent(long Id, DateTimeOffset Timestamp, string Type, string? State, string? Error, string? Cause);
}
