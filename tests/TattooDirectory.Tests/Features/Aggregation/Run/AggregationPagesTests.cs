using System.Net;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>The operator pages for runs and queues: signed in only, the start and redrive buttons work.</summary>
public sealed class AggregationPagesTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/admin/runs")]
    [InlineData("/admin/queues")]
    [InlineData("/admin/runs/manual-x")]
    public async Task A_visitor_who_is_not_signed_in_gets_401_and_the_sign_in_form(string url)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: AggregationAdminApiTests.Settings(demo.Web));
        using var anonymous = new OperatorClient(host);

        var (status, page) = await anonymous.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(page.QuerySelector("form.admin-form input[name=token]"));
        Assert.Empty(page.QuerySelectorAll("tr[data-run], [data-queue]"));
    }

    [Fact]
    public async Task The_start_button_starts_a_run_and_shows_its_page_with_the_step_history()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: AggregationAdminApiTests.Settings(demo.Web));
        using var operatorClient = new OperatorClient(host);
        await operatorClient.SignInAsync();
        var (status, runs) = await operatorClient.GetPageAsync("/admin/runs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(runs.QuerySelectorAll("nav a"), a => a.GetAttribute("href") == "/admin/queues");

        using var started = await operatorClient.SubmitAsync(runs, "form[action='/admin/runs']");

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var runPage = started.Headers.Location!.AbsolutePath;
        Assert.StartsWith("/admin/runs/manual-", runPage, StringComparison.Ordinal);
        var (_, page) = await operatorClient.GetPageAsync(runPage);
        Assert.Contains("ExecutionStarted", page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        var (_, list) = await operatorClient.GetPageAsync("/admin/runs");
        Assert.Single(list.QuerySelectorAll("tr[data-run]"));
    }

    [Fact]
    public async Task The_queues_page_shows_a_dead_letter_and_its_redrive_button_puts_it_back()
    {
        // No worker in this process: the test plays the consumer that keeps failing the job.
        var settings = AggregationAdminApiTests.Settings(demo.Web);
        settings["Aggregation:Scrape:Enabled"] = "false";
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);
        var queue = host.Service<IQueues>().Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);
        await queue.SendBatchAsync([new(RunRecords.JobBody(new ScrapeJob("run-1-abc", "run-1", "studio-1", new Uri("https://studio.test/a"), null, null)))], Ct);
        for (var i = 0; i < 4; i++) await queue.ReceiveAsync(10, TimeSpan.Zero, TimeSpan.Zero, Ct);
        using var operatorClient = new OperatorClient(host);
        await operatorClient.SignInAsync();

        var (_, page) = await operatorClient.GetPageAsync("/admin/queues");
        Assert.Equal("1", page.QuerySelector("[data-queue='scrape'] [data-fact='dead-letters']")!.TextContent);
        using var redriven = await operatorClient.SubmitAsync(page, "form[action='/admin/queues']");

        Assert.Equal(HttpStatusCode.Redirect, redriven.StatusCode);
        var (_, after) = await operatorClient.GetPageAsync("/admin/queues");
        Assert.Equal("0", after.QuerySelector("[data-queue='scrape'] [data-fact='dead-letters']")!.TextContent);
        Assert.Equal("1", after.QuerySelector("[data-queue='scrape'] [data-fact='visible']")!.TextContent);
    }
}
