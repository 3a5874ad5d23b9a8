using System.Text.Json;
using TattooDirectory.Backends.Local.Lucene;
using TattooDirectory.Features.Sync;
using TattooDirectory.Tests.Features.Web;

namespace TattooDirectory.Tests.Features.Alarms;

public sealed class ComponentHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_reports_every_component_and_a_disabled_worker_as_disabled_not_unhealthy()
    {
        await using var alarms = await AlarmHost.StartAsync();
        await alarms.TickAsync();
        var health = await HealthAsync(alarms);
        var components = health.GetProperty("components");
        Assert.Equal(["blobs", "index", "queue", "scheduler", "store", "sync", "topic", "workers", "workflow"], components.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(components.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));

        var workers = components.GetProperty("workers").GetProperty("data");
        Assert.Equal("disabled: Aggregation:Scrape:Enabled is false", workers.GetProperty("scrape").GetString());
        foreach (var worker in new[] { "alarms", "notification-dispatcher", "outbox-relay", "purge", "removal-ops", "scheduler", "sync" })
        {
            Assert.True(workers.TryGetProperty(worker, out _), $"{worker} reports no heartbeat");
        }
        Assert.Equal(0, components.GetProperty("queue").GetProperty("data").GetProperty("scrape.deadLetters").GetInt32());
        var scheduler = components.GetProperty("scheduler").GetProperty("data");
        Assert.True(scheduler.TryGetProperty("lastTick", out _));
    }

    [Fact]
    public async Task A_stopped_worker_degrades_health_with_its_name_and_the_status_page_says_so_in_plain_words()
    {
        await using var alarms = await AlarmHost.StartAsync();
        await alarms.HostedService<SyncWorker>().StopAsync(Ct);

        var health = await HealthAsync(alarms);
        var workers = health.GetProperty("components").GetProperty("workers");
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal("Degraded", workers.GetProperty("status").GetString());
        Assert.Equal("sync: stopped.", workers.GetProperty("reason").GetString());

        var page = await alarms.Host.GetPageAsync("/status");
        var row = page.One("tr[data-component=workers]");
        Assert.Equal("Degraded", row.QuerySelector(".status-badge")!.TextContent);
        Assert.Contains("Some background work is delayed.", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped", page.One("main").TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_worker_silent_past_its_limit_is_reported_with_how_long_it_has_been_quiet()
    {
        await using var alarms = await AlarmHost.StartAsync();
        // The alarm worker beats every 30 s of the clock; a jump of an hour without its tick running makes it silent.
        alarms.Clock.AdjustTime(alarms.Clock.GetUtcNow().AddHours(1));

        var workers = (await HealthAsync(alarms)).GetProperty("components").GetProperty("workers");
        Assert.StartsWith("no heartbeat for 3600 s", workers.GetProperty("data").GetProperty("alarms").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_hides_internal_details_of_a_failing_component()
    {
        await using var alarms = await AlarmHost.StartAsync();
        alarms.Host.Service<LuceneSearchIndex>().Dispose();

        var page = await alarms.Host.GetPageAsync("/status");
        var row = page.One("tr[data-component=index]");
        Assert.Equal("Degraded", row.QuerySelector(".status-badge")!.TextContent);
        Assert.Contains("slower backup", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page.One("main").TextContent, StringComparison.Ordinal);
        Assert.Contains("Exception", (await HealthAsync(alarms)).GetProperty("components").GetProperty("index").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> HealthAsync(AlarmHost alarms)
    {
        // /health answers 503 when unhealthy and 200 otherwise; the body is the same shape.
        using var response = await alarms.Host.Client.GetAsync("/health", Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }
}
