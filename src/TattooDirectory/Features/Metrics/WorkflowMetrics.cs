using System.Text.Json;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Metrics;

/// <summary>Records what the Local workflow engine reports into the directory's workflow instruments.</summary>
internal sealed class WorkflowMetrics(DirectoryMetrics metrics) : IWorkflowObserver
{
    public void StateLeft(string stateMachine, string state, TimeSpan duration) =>
        metrics.WorkflowStateDuration.Record(Math.Max(0, duration.TotalSeconds),
            new(MetricNames.StateMachine, stateMachine), new(MetricNames.State, state));

    public void ExecutionEnded(string stateMachine, ExecutionStatus status) =>
        metrics.WorkflowRuns.Add(1, new(MetricNames.StateMachine, stateMachine), new(MetricNames.Status, JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString())));
}
