using System.Text.Json;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Discovery;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>
/// The whole aggregation definition on the local engine with the real handlers against the demo
/// web: discovery, the Map over studios, queueing, the drain wait on a fake clock (the jobs are
/// taken by test code standing in for the scrape worker) and the report.
/// </summary>
public sealed class AggregationWorkflowTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ExecutionDescription> RunUntilStoppedAsync(AggregationRig rig, string arn, Func<Task> eachPoll)
    {
        for (var i = 0; i < 2000; i++)
        {
            var execution = await rig.Engine.DescribeExecutionAsync(arn, Ct);
            if (execution!.Status != ExecutionStatus.Running) return execution;
            await eachPoll();
            // Lets the drain Wait (30 s) and any retry back-off pass on the fake clock.
            rig.Backend.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }

        Assert.Fail("The run never stopped.");
        return null!;
    }

    [Fact]
    public async Task A_run_over_the_demo_web_discovers_finds_queues_waits_for_the_drain_and_reports()
    {
        await using var rig = new AggregationRig(demo.Web);
        var leeds = demo.Web.Manifest.Sites.Where(s => s.City == "Leeds").ToList();
        var expected = leeds.SelectMany(s => s.Artists).Count(a => a.Expect != ArtistOutcome.NotCrawled);
        var started = await rig.Engine.StartExecutionAsync(AggregationNames.StateMachine, """{"cities":["Leeds"]}""", "run-leeds-1", Ct);
        var drained = 0;

        var execution = await RunUntilStoppedAsync(rig, started.ExecutionArn, async () => drained += await rig.DrainJobsAsync());

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Error}: {execution.Cause}");
        Assert.Equal(expected, drained);
        var summary = await RunRecords.ReadSummaryAsync(rig.Backend.Table, "run-leeds-1", Ct);
        Assert.NotNull(summary);
        Assert.Equal(RunStatus.Succeeded, summary.Status);
        Assert.Equal(leeds.Count + demo.Web.Manifest.WithoutWebsite.Count(l => l.City == "Leeds"), summary.Studios);
        Assert.Equal(expected, summary.ArtistsFound);
        Assert.Equal(expected, summary.New);
        Assert.Equal(0, summary.DeadLettered);
        Assert.True(summary.Drained);
        Assert.Equal(summary.New, JsonDocument.Parse(execution.Output!).RootElement.GetProperty("new").GetInt32());
        var report = await rig.Backend.Table.GetAsync(Keys.OutboxMessage("aggregation-report-run-leeds-1"), Ct);
        Assert.NotNull(report);
        Assert.Equal(Topics.AggregationReports, Outbox.Read(report).Topic);
        Assert.NotNull(await rig.Backend.Catalog.GetStudioAsync(AggregationNames.StudioIdFor(StudioListings.SiteKey(new Uri(leeds[0].BaseUrl))), Ct));
    }

    [Fact]
    public async Task A_run_with_nothing_to_discover_from_fails_with_a_critical_alert_and_a_failed_summary()
    {
        await using var rig = new AggregationRig(demo.Web, new Dictionary<string, string?>
        {
            ["Aggregation:Sources:Overpass:Url"] = "",
            ["Aggregation:Sources:GooglePlaces:ApiKey"] = "",
            ["Aggregation:Sources:StaticList:Url"] = "",
        });
        var started = await rig.Engine.StartExecutionAsync(AggregationNames.StateMachine, "{}", "run-empty-1", Ct);

        var execution = await RunUntilStoppedAsync(rig, started.ExecutionArn, () => Task.CompletedTask);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Discovery.NoSources", execution.Error);
        var summary = await RunRecords.ReadSummaryAsync(rig.Backend.Table, "run-empty-1", Ct);
        Assert.Equal(RunStatus.Failed, summary!.Status);
        var alert = await rig.Backend.Table.GetAsync(Keys.OutboxMessage("aggregation-failed-run-empty-1"), Ct);
        Assert.Equal(Topics.CriticalAlerts, Outbox.Read(alert!).Topic);
    }
}
