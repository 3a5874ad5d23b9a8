using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Features.Aggregation.Scraping;
using TattooDirectory.Tests.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

public sealed class ScrapeConsumerTests
{
    private const string StudioId = "studio-loopback1";
    private const string RunId = "run-queue-1";
    private static readonly TimeSpan PastVisibility = AggregationNames.ScrapeQueueSettings.VisibilityTimeout + TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scraped_job_is_recorded_and_deleted_from_the_queue()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/ada", Canned.Html("<h1>Ada Inkwell</h1><p class=\"bio\">Fine line. #fineline</p><a href=\"https://instagram.com/ada.ink\">IG</a>"));
        await using var rig = await RigAsync(site);
        var job = Job(site, "/artists/ada");
        await rig.SendAsync(job);

        await rig.ConsumeVisibleAsync();

        Assert.Equal(ScrapeOutcomeKind.New, (await rig.OutcomeAsync(job))?.Kind);
        var artist = (await rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct))!.Artist;
        Assert.Equal(["fineline"], artist.Styles);
        Assert.Equal("Headingley, Leeds", artist.LocationDisplay);
        Assert.True((await rig.Queue.GetStatsAsync(Ct)).IsDrained);
    }

    [Fact]
    public async Task The_worker_takes_jobs_as_they_arrive_until_it_is_stopped()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/ada", Canned.Html("<h1>Ada Inkwell</h1>"));
        site.Serve("/artists/bo", Canned.Html("<h1>Bo Lines</h1>"));
        await using var rig = await RigAsync(site);
        var (ada, bo) = (Job(site, "/artists/ada"), Job(site, "/artists/bo"));

        await rig.Worker.StartAsync(Ct);
        await rig.SendAsync(ada);
        await RecordedAsync(rig, ada);
        await rig.SendAsync(bo);
        await RecordedAsync(rig, bo);
        await rig.Worker.StopAsync(Ct);

        Assert.Equal(ScrapeOutcomeKind.New, (await rig.OutcomeAsync(bo))?.Kind);
        Assert.True((await rig.Queue.GetStatsAsync(Ct)).IsDrained);
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_recorded_as_failed_on_its_last_delivery_and_ends_in_the_dlq()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/down", Canned.Error(503));
        await using var rig = await RigAsync(site);
        var job = Job(site, "/artists/down");
        await rig.SendAsync(job);

        for (var delivery = 1; delivery <= AggregationNames.ScrapeQueueSettings.MaxReceiveCount; delivery++)
        {
            Assert.Null(await rig.OutcomeAsync(job));
            await rig.ConsumeVisibleAsync();
            rig.Time.Advance(PastVisibility);
        }

        await rig.ConsumeVisibleAsync();

        var outcome = await rig.OutcomeAsync(job);
        Assert.Equal(ScrapeOutcomeKind.Failed, outcome?.Kind);
        Assert.Equal("Http 503", outcome!.Reason);
        var stats = await rig.Queue.GetStatsAsync(Ct);
        Assert.Equal(1, stats.DeadLetters);
        Assert.True(stats.IsDrained);
        Assert.Equal(3, site.Count("/artists/down"));
    }

    [Fact]
    public async Task A_job_that_always_fails_reaches_the_dlq_after_three_receives_while_the_jobs_behind_it_are_scraped()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/down", Canned.Error(503));
        var healthy = new[] { "ada", "bo", "cy", "di" };
        foreach (var name in healthy) site.Serve($"/artists/{name}", Canned.Html($"<h1>{name} Inkwell</h1>"));
        await using var rig = await RigAsync(site);
        var down = Job(site, "/artists/down");
        await rig.SendAsync(down);

        // Each delivery of the failing job has a healthy one queued behind it.
        for (var delivery = 1; delivery <= AggregationNames.ScrapeQueueSettings.MaxReceiveCount; delivery++)
        {
            var behind = Job(site, $"/artists/{healthy[delivery - 1]}");
            await rig.SendAsync(behind);
            await rig.ConsumeVisibleAsync();
            Assert.Equal(ScrapeOutcomeKind.New, (await rig.OutcomeAsync(behind))?.Kind);
            rig.Time.Advance(PastVisibility);
        }

        var last = Job(site, $"/artists/{healthy[^1]}");
        await rig.SendAsync(last);
        await rig.ConsumeVisibleAsync();

        Assert.Equal(ScrapeOutcomeKind.New, (await rig.OutcomeAsync(last))?.Kind);
        Assert.Equal(ScrapeOutcomeKind.Failed, (await rig.OutcomeAsync(down))?.Kind);
        var stats = await rig.Queue.GetStatsAsync(Ct);
        Assert.Equal((1, true), (stats.DeadLetters, stats.IsDrained));
        var letter = Assert.Single(await rig.Queue.PeekDeadLettersAsync(10, Ct));
        Assert.Equal(down.ScrapeId, ScrapeItems.ParseJob(letter.Body)?.ScrapeId);
        Assert.Equal(3, site.Count("/artists/down"));
        Assert.All(healthy, name => Assert.Equal(1, site.Count($"/artists/{name}")));
    }

    [Fact]
    public async Task A_failed_job_comes_back_after_30_s_then_2_min_and_after_its_last_try_goes_straight_to_the_dlq()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/down", Canned.Error(503));
        await using var rig = await RigAsync(site);
        var job = Job(site, "/artists/down");
        await rig.SendAsync(job);

        foreach (var backoff in new[] { TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2) })
        {
            await rig.ConsumeVisibleAsync();
            rig.Time.Advance(backoff - TimeSpan.FromSeconds(1));
            Assert.Equal((0, 1), await VisibleAndInFlightAsync(rig));
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal((1, 0), await VisibleAndInFlightAsync(rig));
        }

        await rig.ConsumeVisibleAsync();
        Assert.Equal(ScrapeOutcomeKind.Failed, (await rig.OutcomeAsync(job))?.Kind);
        Assert.Equal((1, 0), await VisibleAndInFlightAsync(rig));
        await rig.ConsumeVisibleAsync();

        var stats = await rig.Queue.GetStatsAsync(Ct);
        Assert.Equal((1, true), (stats.DeadLetters, stats.IsDrained));
        Assert.Equal(3, site.Count("/artists/down"));
    }

    private static async Task<(int Visible, int InFlight)> VisibleAndInFlightAsync(ScrapeRig rig)
    {
        var stats = await rig.Queue.GetStatsAsync(Ct);
        return (stats.Visible, stats.InFlight);
    }

    [Fact]
    public async Task A_message_that_is_not_a_scrape_job_is_left_to_reach_the_dlq()
    {
        await using var site = await LoopbackSite.StartAsync();
        await using var rig = await RigAsync(site);
        await rig.Queue.SendBatchAsync([new OutgoingMessage("{\"not\":\"a job\"}")], Ct);

        for (var delivery = 0; delivery <= AggregationNames.ScrapeQueueSettings.MaxReceiveCount; delivery++)
        {
            await rig.ConsumeVisibleAsync();
            rig.Time.Advance(PastVisibility);
        }

        Assert.Equal(1, (await rig.Queue.GetStatsAsync(Ct)).DeadLetters);
    }

    [Fact]
    public async Task No_more_jobs_run_or_are_taken_off_the_queue_than_the_concurrency_allows()
    {
        await using var site = await LoopbackSite.StartAsync();
        await using var rig = await RigAsync(site, concurrency: 2);
        var jobs = Enumerable.Range(1, 5).Select(i => Job(site, $"/gate/{i}")).ToArray();
        await rig.SendAsync(jobs);

        var consuming = rig.ConsumeVisibleAsync();
        await Until.TrueAsync(() => site.InFlight == 2, "two jobs at the gate");
        var held = await rig.Queue.GetStatsAsync(Ct);
        site.OpenGate();
        await consuming;

        Assert.Equal((2, 3), (held.InFlight, held.Visible));
        Assert.Equal(2, site.MaxInFlight);
        Assert.Equal(2, rig.Consumer.MostActive);
        // The gate answers JSON, not a page: each job settles as failed, and every message is gone.
        foreach (var job in jobs) Assert.Equal(ScrapeOutcomeKind.Failed, (await rig.OutcomeAsync(job))?.Kind);
        Assert.True((await rig.Queue.GetStatsAsync(Ct)).IsDrained);
    }

    [Fact]
    public async Task A_slow_job_keeps_its_message_hidden_past_the_visibility_timeout()
    {
        await using var site = await LoopbackSite.StartAsync();
        await using var rig = await RigAsync(site);
        var job = Job(site, "/gate/slow");
        await rig.SendAsync(job);

        var consuming = rig.ConsumeVisibleAsync();
        await Until.TrueAsync(() => site.InFlight == 1, "the job at the gate");
        rig.Time.Advance(AggregationNames.ScrapeQueueSettings.VisibilityTimeout / 2 + TimeSpan.FromSeconds(1));
        await Until.TrueAsync(() => rig.Consumer.Extensions == 1, "the visibility extended");
        rig.Time.Advance(AggregationNames.ScrapeQueueSettings.VisibilityTimeout / 2);
        var held = await rig.Queue.GetStatsAsync(Ct);
        site.OpenGate();
        await consuming;

        // Past the original timeout the message is still the running job's, not visible to another worker.
        Assert.Equal((1, 0), (held.InFlight, held.Visible));
        Assert.Equal(1, site.Count("/gate/slow"));
        Assert.True((await rig.Queue.GetStatsAsync(Ct)).IsDrained);
    }

    [Fact]
    public async Task A_job_stuck_past_its_timeout_is_cancelled_delivered_again_and_failed_on_its_last_delivery()
    {
        await using var site = await LoopbackSite.StartAsync();
        site.Serve("/artists/ada", Canned.Html("<h1>Ada Inkwell</h1>"));
        // robots.txt takes the host's one turn an hour: the page then waits for a turn that never comes in the test.
        await using var rig = await RigAsync(site, ("Aggregation:Fetch:MinHostInterval", "01:00:00"), ("Aggregation:Fetch:MaxCrawlDelay", "01:00:00"));
        var job = Job(site, "/artists/ada");
        await rig.SendAsync(job);
        var timeout = new TattooDirectory.Features.Aggregation.Scraping.ScrapeOptions().JobTimeout;

        for (var delivery = 1; delivery <= AggregationNames.ScrapeQueueSettings.MaxReceiveCount; delivery++)
        {
            Assert.Null(await rig.OutcomeAsync(job));
            Assert.Equal(1, await rig.Consumer.PollAsync(TimeSpan.Zero, Ct));
            await Until.TrueAsync(() => rig.Fetcher.Politeness.Waiting(job.ProfileUrl) == 1, $"delivery {delivery} waiting for its turn at the host");
            rig.Time.Advance(timeout + TimeSpan.FromSeconds(1));
            await rig.Consumer.IdleAsync();
            rig.Time.Advance(PastVisibility);
        }

        var outcome = await rig.OutcomeAsync(job);
        Assert.Equal((ScrapeOutcomeKind.Failed, $"timed out after {(long)timeout.TotalSeconds} s"), (outcome?.Kind, outcome?.Reason));
        await rig.ConsumeVisibleAsync();
        var stats = await rig.Queue.GetStatsAsync(Ct);
        Assert.Equal(1, stats.DeadLetters);
        Assert.True(stats.IsDrained);
        Assert.Equal(0, site.Count("/artists/ada"));
    }

    [Fact]
    public async Task A_job_for_a_studio_the_catalog_does_not_know_fails_without_fetching()
    {
        await using var site = await LoopbackSite.StartAsync();
        await using var rig = await RigAsync(site);
        var job = Job(site, "/artists/ada") with { StudioId = "studio-unknown1" };

        var result = await rig.Scraper.ScrapeAsync(job, lastAttempt: false, Ct);

        Assert.True(result.Delete);
        Assert.Equal(("unknown studio", ScrapeOutcomeKind.Failed), (result.Outcome?.Reason, result.Outcome!.Kind));
        Assert.Empty(site.Paths);
    }

    /// <summary>Waits for the worker (another task) to record the job's outcome, re-checking rather than sleeping a fixed time.</summary>
    private static async Task RecordedAsync(ScrapeRig rig, ScrapeJob job)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        while (await rig.OutcomeAsync(job) is null)
        {
            if (cts.IsCancellationRequested) Assert.Fail($"Job {job.ScrapeId} was never recorded.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }

    private static Task<ScrapeRig> RigAsync(LoopbackSite site, params (string Key, string Value)[] extra) => RigAsync(site, 4, extra);

    private static async Task<ScrapeRig> RigAsync(LoopbackSite site, int concurrency, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aggregation:Scrape:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Aggregation:Fetch:PerHostConcurrency"] = "8",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        var rig = new ScrapeRig([site.Port], settings);
        await rig.Catalog.PutStudioAsync(ScrapeRig.StudioAt(StudioId, "Mill Street Tattoo", "Leeds", new(53.82, -1.58)), Ct);
        return rig;
    }

    private static ScrapeJob Job(LoopbackSite site, string path)
    {
        var url = site.Url(path);
        return new ScrapeJob(AggregationNames.ScrapeIdFor(RunId, url), RunId, StudioId, url, null, null);
    }
}
