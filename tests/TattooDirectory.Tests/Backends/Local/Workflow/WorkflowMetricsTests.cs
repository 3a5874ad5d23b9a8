using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>The engine reports what its executions did; the app's observer turns it into the workflow instruments.</summary>
public sealed class WorkflowMetricsTests : WorkflowTestBase
{
    private const string Definition = """
        { "StartAt": "Pause", "States": {
            "Pause": { "Type": "Wait", "Seconds": 30, "Next": "Decide" },
            "Decide": { "Type": "Choice", "Choices": [ { "Variable": "$.fail", "BooleanEquals": true, "Next": "Broken" } ], "Default": "Done" },
            "Broken": { "Type": "Fail", "Error": "Test.Broken" },
            "Done": { "Type": "Succeed" } } }
        """;

    [Fact]
    public async Task Each_state_left_records_its_duration_and_each_ended_execution_counts_once_by_status()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new DirectoryMetrics(services.GetRequiredService<IMeterFactory>());
        using var runs = new MetricCollector<long>(metrics.WorkflowRuns);
        using var durations = new MetricCollector<double>(metrics.WorkflowStateDuration);
        Observer = new WorkflowMetrics(metrics);

        var succeeding = await StartAsync(Definition, """{ "fail": false }""");
        Assert.Equal(TimeSpan.FromSeconds(30), await Clock.ElapseNextTimerAsync());
        Assert.Equal(ExecutionStatus.Succeeded, (await EndOfAsync(succeeding)).Status);
        var failing = (await Engine.StartExecutionAsync(Machine, """{ "fail": true }""", cancellationToken: Ct)).ExecutionArn;
        Assert.Equal(TimeSpan.FromSeconds(30), await Clock.ElapseNextTimerAsync());
        Assert.Equal(ExecutionStatus.Failed, (await EndOfAsync(failing)).Status);

        Assert.Equal(["failed", "succeeded"], runs.GetMeasurementSnapshot().Select(m => (string)m.Tags[MetricNames.Status]!).Order());
        Assert.All(runs.GetMeasurementSnapshot(), m => Assert.Equal((Machine, 1L), ((string)m.Tags[MetricNames.StateMachine]!, m.Value)));
        var pauses = durations.GetMeasurementSnapshot().Where(m => (string?)m.Tags[MetricNames.State] == "Pause").ToList();
        Assert.Equal([30.0, 30.0], pauses.Select(m => m.Value));
        Assert.Equal(["Broken", "Decide", "Decide", "Done", "Pause", "Pause"], durations.GetMeasurementSnapshot().Select(m => (string)m.Tags[MetricNames.State]!).Order());
    }
}
