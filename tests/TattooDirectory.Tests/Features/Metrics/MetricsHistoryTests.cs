using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Metrics;

/// <summary>The metrics history behind the dashboard, sampled on the host's (fake) clock, through <c>GET /v1/admin/metrics</c> and the <c>/admin</c> page.</summary>
public sealed class MetricsHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A host on a fake clock with some traffic, advanced 10 s at a time until its history holds the traffic and every gauge.</summary>
    internal static async Task<(DirectoryHost Host, JsonElement Metrics)> SampledHostAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token },
            configure: b => b.Services.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 5; i++) (await host.Client.GetAsync("/v1/styles", Ct)).Dispose();
        (await host.Client.GetAsync("/v1/no-such-thing", Ct)).Dispose();

        using var api = new HttpClient { BaseAddress = host.Client.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorClient.Token);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(20, Ct);
            var metrics = JsonDocument.Parse(await api.GetStringAsync("/v1/admin/metrics?window=15m", Ct)).RootElement.Clone();
            if (Value(metrics, "http.requests") is > 0 && Value(metrics, "directory.queue.depth") is not null
                && Value(metrics, "directory.removal.requests") is not null && Value(metrics, "directory.sync.lag") is not null)
            {
                return (host, metrics);
            }
        }
        await host.DisposeAsync();
        Assert.Fail("The history never held the traffic and the gauges.");
        return default;
    }

    [Fact]
    public async Task The_history_reports_requests_latency_per_route_queues_sync_lag_and_removals_sampled_every_10_seconds()
    {
        var (host, metrics) = await SampledHostAsync();
        await using var _ = host;

        var step = metrics.GetProperty("stepSeconds").GetDouble();
        Assert.Equal(10, step);
        // 15 minutes at 10 s a point.
        Assert.Equal(90, Series(metrics, "http.requests").GetProperty("values").GetArrayLength());
        var requests = Series(metrics, "http.requests").GetProperty("values").EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Sum(v => v.GetDouble()) * step;
        Assert.True(requests >= 6, $"{requests} requests counted");
        Assert.NotNull(Value(metrics, "http.latency", "quantile", "p95"));
        Assert.Equal(0, Value(metrics, "http.errors"));

        var styles = metrics.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("route").GetString()!.StartsWith("/v1/styles", StringComparison.Ordinal));
        Assert.Equal(5, styles.GetProperty("requests").GetInt64());
        Assert.True(styles.GetProperty("p99").GetDouble() >= styles.GetProperty("p50").GetDouble());
        Assert.Contains(metrics.GetProperty("routes").EnumerateArray(), r => r.GetProperty("route").GetString() == "(unmatched)");

        Assert.Equal(0, Value(metrics, "directory.queue.depth", "state", "visible"));
        Assert.Equal("scrape", Series(metrics, "directory.queue.dead_letters").GetProperty("labels").GetProperty("queue").GetString());
        Assert.Equal(0, Value(metrics, "directory.removal.requests", "status", "pending"));
        Assert.Equal(0, Value(metrics, "directory.removal.oldest_pending_days"));
        Assert.Equal(0, Value(metrics, "directory.sync.lag"));
    }

    [Fact]
    public async Task Metrics_need_the_operator_token_and_a_window_between_10_seconds_and_24_hours()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var anonymous = await host.Client.GetAsync("/v1/admin/metrics", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var api = new HttpClient { BaseAddress = host.Client.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorClient.Token);
        foreach (var window in new[] { "2d", "25h", "5s", "abc", "-1h" })
        {
            using var refused = await api.GetAsync($"/v1/admin/metrics?window={window}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using var day = await api.GetAsync("/v1/admin/metrics?window=24h", Ct);
        var body = JsonDocument.Parse(await day.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(720, body.GetProperty("stepSeconds").GetDouble());
    }

    [Fact]
    public async Task The_dashboard_draws_every_chart_from_the_history_and_shows_no_alarms()
    {
        var (host, _) = await SampledHostAsync();
        await using var _host = host;
        using var client = new OperatorClient(host);
        (await client.SignInAsync()).Dispose();

        var (status, page) = await client.GetPageAsync("/admin?window=15m");

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var id in new[] { "chart-requests", "chart-latency", "chart-sync-lag", "chart-queue-scrape", "chart-removals" })
        {
            var path = page.QuerySelector($"#{id} svg path.chart-line");
            Assert.True(path is not null && path.GetAttribute("d")!.StartsWith('M'), $"{id} has no line");
            Assert.NotNull(page.QuerySelector($"#{id} svg title"));
        }
        Assert.NotEqual("—", page.QuerySelector("#chart-requests .chart-value")!.TextContent);
        Assert.Equal("No alarms.", page.QuerySelector("#alarms .alarm-none")?.TextContent);
        Assert.Contains("/v1/styles", page.QuerySelector(".route-table")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("10", page.QuerySelector("#dashboard")!.GetAttribute("data-refresh"));
    }

    internal static JsonElement Series(JsonElement metrics, string name, string? label = null, string? value = null) =>
        metrics.GetProperty("series").EnumerateArray().First(s => s.GetProperty("name").GetString() == name
            && (label is null || (s.GetProperty("labels").TryGetProperty(label, out var v) && v.GetString() == value)));

    /// <summary>The latest value of a series, null when it has none (or no such series).</summary>
    internal static double? Value(JsonElement metrics, string name, string? label = null, string? value = null)
    {
        var series = metrics.GetProperty("series").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == name
            && (label is null || (s.GetProperty("labels").TryGetProperty(label, out var v) && v.GetString() == value)));
        if (series.ValueKind != JsonValueKind.Object) return null;
        var last = series.GetProperty("values").EnumerateArray().LastOrDefault(v => v.ValueKind == JsonValueKind.Number);
        return last.ValueKind == JsonValueKind.Number ? last.GetDouble() : null;
    }
}
