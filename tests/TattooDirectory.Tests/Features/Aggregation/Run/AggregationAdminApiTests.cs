using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Run;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>The admin API for aggregation runs and queues over HTTP: authentication and shapes.</summary>
public sealed class AggregationAdminApiTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private const string Token = "operator-token-for-tests-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static Dictionary<string, string> Settings(DemoWebServer web)
    {
        var settings = web.AppSettings.ToDictionary(s => s.Key, s => s.Value);
        settings["Admin:Token"] = Token;
        settings["Aggregation:Cities:0"] = "Leeds";
        settings["Aggregation:Fetch:MinHostInterval"] = "00:00:00";
        settings["Aggregation:Fetch:MaxCrawlDelay"] = "00:00:00";
        return settings;
    }

    internal static async Task<HttpResponseMessage> SendAsync(DirectoryHost host, HttpMethod method, string url, object? body = null, bool authorised = true)
    {
        using var request = new HttpRequestMessage(method, url);
        if (authorised) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await host.Client.SendAsync(request, Ct);
    }

    internal static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    [Theory]
    [InlineData("GET", "/v1/admin/aggregation-runs")]
    [InlineData("POST", "/v1/admin/aggregation-runs")]
    [InlineData("GET", "/v1/admin/aggregation-runs/manual-x")]
    [InlineData("GET", "/v1/admin/queues")]
    [InlineData("GET", "/v1/admin/queues/scrape/dlq")]
    [InlineData("POST", "/v1/admin/queues/scrape/redrive")]
    public async Task Every_route_refuses_a_caller_without_the_token(string method, string url)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: Settings(demo.Web));

        using var response = await SendAsync(host, new HttpMethod(method), url, authorised: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_started_run_answers_202_with_its_id_and_is_listed_and_described_with_its_history()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: Settings(demo.Web));

        using var started = await SendAsync(host, HttpMethod.Post, "/v1/admin/aggregation-runs", new { cities = new[] { "leeds" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await JsonAsync(started)).GetProperty("runId").GetString()!;
        Assert.StartsWith("manual-", runId, StringComparison.Ordinal);
        Assert.Equal($"/v1/admin/aggregation-runs/{runId}", started.Headers.Location!.OriginalString);

        using var list = await SendAsync(host, HttpMethod.Get, "/v1/admin/aggregation-runs");
        var first = (await JsonAsync(list)).GetProperty("items")[0];
        Assert.Equal(runId, first.GetProperty("runId").GetString());
        Assert.Contains(first.GetProperty("status").GetString(), new[] { "RUNNING", "SUCCEEDED", "FAILED" });

        // Discovery finishes quickly against the demo web; its summary then carries the cities.
        JsonElement detail = default;
        for (var i = 0; i < 500; i++)
        {
            using var one = await SendAsync(host, HttpMethod.Get, $"/v1/admin/aggregation-runs/{runId}");
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            detail = await JsonAsync(one);
            if (detail.GetProperty("run").TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object) break;
            await Task.Delay(20, Ct);
        }

        Assert.Equal(["Leeds"], detail.GetProperty("run").GetProperty("summary").GetProperty("cities").EnumerateArray().Select(c => c.GetString()));
        var history = detail.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("ExecutionStarted", history[0].GetProperty("type").GetString());
        Assert.Contains(history, e => e.TryGetProperty("state", out var state) && state.GetString() == "DiscoverStudios");
        // Nothing takes the queued jobs here: stop the run rather than leave it polling.
        var arn = (await host.Service<AggregationRuns>().GetAsync(runId, Ct))!.ExecutionArn;
        Assert.True(await host.Service<IWorkflowEngine>().StopExecutionAsync(arn, cancellationToken: Ct) || detail.GetProperty("run").GetProperty("status").GetString() != "RUNNING");
    }

    [Fact]
    public async Task An_unknown_city_or_run_or_queue_is_refused_with_a_problem()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: Settings(demo.Web));

        using var city = await SendAsync(host, HttpMethod.Post, "/v1/admin/aggregation-runs", new { cities = new[] { "Atlantis" } });
        using var run = await SendAsync(host, HttpMethod.Get, "/v1/admin/aggregation-runs/manual-nothing");
        using var queue = await SendAsync(host, HttpMethod.Get, "/v1/admin/queues/nothing/dlq");

        Assert.Equal(HttpStatusCode.BadRequest, city.StatusCode);
        Assert.True((await JsonAsync(city)).GetProperty("errors").TryGetProperty("cities", out _));
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, queue.StatusCode);
    }

    [Fact]
    public async Task Queue_depths_the_dead_letter_peek_and_redrive_report_the_scrape_queue()
    {
        // No worker in this process: the test plays the consumer that keeps failing the job.
        var settings = Settings(demo.Web);
        settings["Aggregation:Scrape:Enabled"] = "false";
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);
        var queue = host.Service<TattooDirectory.Core.Queues.IQueues>().Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);
        var job = new ScrapeJob("run-1-abc", "run-1", "studio-1", new Uri("https://studio.test/artists/a"), null, null);
        await queue.SendBatchAsync([new(RunRecords.JobBody(job))], Ct);
        // Three deliveries, then the next receive dead-letters it (the queue's maxReceiveCount).
        for (var i = 0; i < 4; i++)
        {
            foreach (var message in await queue.ReceiveAsync(10, TimeSpan.Zero, TimeSpan.Zero, Ct)) Assert.True(message.ReceiveCount <= 3);
        }

        using var depths = await SendAsync(host, HttpMethod.Get, "/v1/admin/queues");
        var scrape = (await JsonAsync(depths)).GetProperty("items").EnumerateArray().Single(q => q.GetProperty("name").GetString() == "scrape");
        Assert.Equal(1, scrape.GetProperty("deadLetters").GetInt32());
        Assert.Equal(0, scrape.GetProperty("visible").GetInt32());

        using var peek = await SendAsync(host, HttpMethod.Get, "/v1/admin/queues/scrape/dlq");
        var letter = (await JsonAsync(peek)).GetProperty("items")[0];
        Assert.Equal("run-1-abc", letter.GetProperty("body").GetProperty("scrapeId").GetString());
        Assert.Equal(3, letter.GetProperty("receiveCount").GetInt32());

        using var redrive = await SendAsync(host, HttpMethod.Post, "/v1/admin/queues/scrape/redrive");
        Assert.Equal(1, (await JsonAsync(redrive)).GetProperty("moved").GetInt32());
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).Visible);
    }
}
