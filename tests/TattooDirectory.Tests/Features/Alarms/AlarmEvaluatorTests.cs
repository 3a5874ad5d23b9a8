using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Sync;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Features.Alarms;

public sealed class AlarmEvaluatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dead_letter_fires_the_critical_dlq_alarm_once_and_a_redrive_clears_it_once()
    {
        await using var alarms = await AlarmHost.StartAsync();
        var queue = ScrapeQueue(alarms.Host);
        await DeadLetterAsync(queue);

        await alarms.TickAsync();
        var raised = await alarms.ApiAlarmAsync("dlq-not-empty:scrape");
        Assert.Equal("alarm", raised.GetProperty("state").GetString());
        Assert.Equal("critical", raised.GetProperty("severity").GetString());
        Assert.Equal("1 messages in the scrape DLQ", raised.GetProperty("reason").GetString());
        Assert.EndsWith("Z", raised.GetProperty("since").GetString(), StringComparison.Ordinal);
        await alarms.TickAsync(3);
        Assert.Equal([("critical-alerts", "alarm")], await alarms.NotificationsAsync("dlq-not-empty:scrape"));

        await queue.RedriveAsync(Ct);
        await alarms.TickAsync(3);
        Assert.Equal("ok", await alarms.StateAsync("dlq-not-empty:scrape"));
        Assert.Equal([("critical-alerts", "alarm"), ("critical-alerts", "ok")], await alarms.NotificationsAsync("dlq-not-empty:scrape"));
    }

    [Fact]
    public async Task A_restart_with_the_alarm_still_raised_neither_fires_it_again_nor_forgets_it()
    {
        using var data = new TempDirectory();
        await using (var first = await AlarmHost.StartAsync(data: data))
        {
            await DeadLetterAsync(ScrapeQueue(first.Host));
            await first.TickAsync();
            Assert.Single(await first.NotificationsAsync("dlq-not-empty:scrape"));
        }

        await using var second = await AlarmHost.StartAsync(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), data);
        await second.TickAsync(2);
        var alarm = await second.ApiAlarmAsync("dlq-not-empty:scrape");
        Assert.Equal("alarm", alarm.GetProperty("state").GetString());
        Assert.StartsWith("2026-11-23T09:00:30", alarm.GetProperty("since").GetString(), StringComparison.Ordinal);
        Assert.Single(await second.NotificationsAsync("dlq-not-empty:scrape"));
    }

    [Fact]
    public async Task Sync_lag_over_30_seconds_warns_once_and_clears_once_the_sync_catches_up()
    {
        await using var alarms = await AlarmHost.StartAsync();
        var worker = alarms.HostedService<SyncWorker>();
        await worker.StopAsync(Ct);
        await alarms.Host.Service<ITable>().PutAsync(new Item { Pk = "TEST#lag", Sk = "ITEM", Data = "{}" }, cancellationToken: Ct);

        await alarms.TickAsync();
        Assert.Equal("ok", await alarms.StateAsync("sync-lag"));
        await alarms.TickAsync();
        Assert.Equal("alarm", await alarms.StateAsync("sync-lag"));
        Assert.StartsWith("the index is 60 s behind", (await alarms.ApiAlarmAsync("sync-lag")).GetProperty("reason").GetString(), StringComparison.Ordinal);

        var latest = await alarms.Host.Service<IChangeStream>().GetLatestSequenceAsync(Ct);
        await worker.StartAsync(Ct);
        await AlarmHost.UntilAsync(() => Task.FromResult(alarms.Host.Service<SyncStatus>().Position >= latest));
        await alarms.TickAsync(2);
        Assert.Equal("ok", await alarms.StateAsync("sync-lag"));
        Assert.Equal([("warning-alerts", "alarm"), ("warning-alerts", "ok")], await alarms.NotificationsAsync("sync-lag"));
    }

    [Fact]
    public async Task A_5xx_rate_over_1_percent_in_five_minutes_warns_and_clears_when_the_window_is_clean()
    {
        await using var alarms = await AlarmHost.StartAsync();
        await alarms.SucceedRequestsAsync(5);
        await alarms.FailRequestsAsync(5);

        await alarms.TickAsync();
        Assert.Equal("alarm", await alarms.StateAsync("http-5xx-rate"));

        // Ten minutes of good requests: the failures leave the window.
        for (var i = 0; i < 20; i++)
        {
            await alarms.SucceedRequestsAsync(1);
            await alarms.TickAsync();
        }
        Assert.Equal("ok", await alarms.StateAsync("http-5xx-rate"));
        Assert.Equal([("warning-alerts", "alarm"), ("warning-alerts", "ok")], await alarms.NotificationsAsync("http-5xx-rate"));
    }

    [Fact]
    public async Task Search_p95_over_500_ms_warns_and_a_p95_between_the_clear_level_and_the_threshold_does_not_flap()
    {
        await using var alarms = await AlarmHost.StartAsync();
        var searches = alarms.Host.Service<DirectoryMetrics>().SearchDuration;
        Record(searches, 0.6, 10);
        await alarms.TickAsync();
        Assert.Equal("alarm", await alarms.StateAsync("search-p95"));

        // 450 ms is under the 500 ms threshold but over the 400 ms clear level (0.8 × 500).
        await alarms.TickAsync(8);
        Record(searches, 0.45, 10);
        await alarms.TickAsync(4);
        Assert.StartsWith("search p95 450 ms", (await alarms.ApiAlarmAsync("search-p95")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("alarm", await alarms.StateAsync("search-p95"));

        Record(searches, 0.3, 10);
        await alarms.TickAsync(10);
        Assert.Equal("ok", await alarms.StateAsync("search-p95"));
        Assert.Equal([("warning-alerts", "alarm"), ("warning-alerts", "ok")], await alarms.NotificationsAsync("search-p95"));
    }

    [Fact]
    public async Task A_served_search_is_timed_into_the_search_duration_the_alarm_reads()
    {
        await using var alarms = await AlarmHost.StartAsync();
        // Distinct queries, so no answer comes from the response cache.
        for (var i = 0; i < 5; i++) await alarms.Host.GetJsonAsync($"/v1/artists?query=ink{i}");

        await alarms.TickAsync();
        Assert.StartsWith("search p95 0 ms over 5 searches", (await alarms.ApiAlarmAsync("search-p95")).GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_removal_sla_warns_after_3_business_days_goes_critical_after_5_and_both_clear_when_the_request_is_decided()
    {
        // Friday 09:00; the request came in on Tuesday at 08:59, so it has waited just over 3 business days now, and over 5 next Tuesday.
        await using var alarms = await AlarmHost.StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var table = alarms.Host.Service<ITable>();
        var request = await PlantAsync(table, Request("rq-alarm01", RemovalStatus.Pending, new DateTimeOffset(2026, 11, 17, 8, 59, 0, TimeSpan.Zero)));

        await alarms.TickAsync();
        Assert.Equal("alarm", await alarms.StateAsync("removal-sla-at-risk"));
        Assert.Equal("ok", await alarms.StateAsync("removal-sla-breached"));

        alarms.Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(1));
        await alarms.TickAsync();
        Assert.Equal("alarm", await alarms.StateAsync("removal-sla-breached"));
        Assert.Equal("alarm", await alarms.StateAsync("removal-sla-at-risk"));

        await table.PutAsync(RemovalItems.ToItem(request with { Status = RemovalStatus.Rejected, ClosedAt = alarms.Clock.GetUtcNow() }), cancellationToken: Ct);
        await alarms.TickAsync();
        Assert.Equal("ok", await alarms.StateAsync("removal-sla-breached"));
        Assert.Equal("ok", await alarms.StateAsync("removal-sla-at-risk"));
        Assert.Equal([("warning-alerts", "alarm"), ("warning-alerts", "ok")], await alarms.NotificationsAsync("removal-sla-at-risk"));
        Assert.Equal([("critical-alerts", "alarm"), ("critical-alerts", "ok")], await alarms.NotificationsAsync("removal-sla-breached"));
        var reason = (await alarms.ApiAlarmAsync("removal-sla-breached")).GetProperty("reason").GetString()!;
        Assert.DoesNotContain(RequesterName, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_rule_is_listed_with_a_state_and_no_alarm_is_raised_on_a_quiet_directory()
    {
        await using var alarms = await AlarmHost.StartAsync();
        await alarms.TickAsync();
        var listed = (await alarms.Host.GetJsonAsync("/v1/admin/alarms")).GetProperty("alarms").EnumerateArray().ToList();
        Assert.Equal(
            ["dlq-not-empty:scrape", "dlq-not-empty:sync", "http-5xx-rate", "removal-sla-at-risk", "removal-sla-breached", "search-p95", "sync-lag"],
            listed.Select(a => a.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(listed, a => Assert.Equal("ok", a.GetProperty("state").GetString()));
        using var anonymous = new HttpClient { BaseAddress = alarms.Host.Client.BaseAddress };
        using var refused = await anonymous.GetAsync("/v1/admin/alarms", Ct);
        Assert.Equal(401, (int)refused.StatusCode);
    }

    [Fact]
    public async Task The_alarms_page_lists_a_raised_alarm_until_it_clears()
    {
        await using var alarms = await AlarmHost.StartAsync();
        var queue = ScrapeQueue(alarms.Host);
        await DeadLetterAsync(queue);
        await alarms.TickAsync();
        using var operatorClient = new OperatorClient(alarms.Host);
        await operatorClient.SignInAsync(AlarmHost.Token);

        var (status, raised) = await operatorClient.GetPageAsync("/admin/alarms");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var row = raised.QuerySelector("table.alarms-active tr[data-alarm='dlq-not-empty:scrape']");
        Assert.NotNull(row);
        Assert.Contains("1 messages in the scrape DLQ", row.TextContent, StringComparison.Ordinal);

        await queue.PurgeAsync(Ct);
        await alarms.TickAsync();
        var (_, cleared) = await operatorClient.GetPageAsync("/admin/alarms");
        Assert.Null(cleared.QuerySelector("table.alarms-active"));
        Assert.Equal("ok", cleared.QuerySelector("table.alarms-all tr[data-alarm='dlq-not-empty:scrape']")!.GetAttribute("data-state"));
    }

    private static IQueue ScrapeQueue(DirectoryHost host) =>
        host.Service<IQueues>().Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);

    /// <summary>Receives one message past its last delivery, as a consumer that keeps failing would, so it moves to the DLQ.</summary>
    private static async Task DeadLetterAsync(IQueue queue)
    {
        await queue.SendBatchAsync([new OutgoingMessage("""{"job":"poison"}""")], Ct);
        for (var i = 0; i <= queue.Settings.MaxReceiveCount; i++)
        {
            await queue.ReceiveAsync(1, TimeSpan.Zero, TimeSpan.Zero, Ct);
        }
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).DeadLetters);
    }

    private static void Record(System.Diagnostics.Metrics.Histogram<double> searches, double seconds, int count)
    {
        for (var i = 0; i < count; i++) searches.Record(seconds, new KeyValuePair<string, object?>(MetricNames.Degraded, false));
    }
}
