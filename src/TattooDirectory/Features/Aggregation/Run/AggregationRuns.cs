using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Discovery;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>A run as the admin API and pages show it: the engine's execution with the run's summary.</summary>
public sealed record RunView(string RunId, string ExecutionArn, ExecutionStatus Status, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt, RunSummary? Summary);

/// <summary>Starting and reading aggregation runs; the run id is the execution's name.</summary>
public sealed class AggregationRuns(IWorkflowEngine engine, ITable table, TimeProvider time)
{
    /// <summary>Starts a run now (for the given cities, or the configured ones) and returns its id.</summary>
    /// <exception cref="ArgumentException">a city the gazetteer does not know.</exception>
    public async Task<string> StartAsync(IReadOnlyList<string>? cities, CancellationToken cancellationToken)
    {
        var input = new JsonObject();
        if (cities is { Count: > 0 }) input["cities"] = new JsonArray([.. cities.Select(c => JsonValue.Create(StudioListings.City(c).Name))]);
        var runId = string.Create(CultureInfo.InvariantCulture, $"manual-{time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        await engine.StartExecutionAsync(AggregationNames.StateMachine, input.ToJsonString(), runId, cancellationToken);
        return runId;
    }

    /// <summary>The newest runs first.</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var page = await engine.ListExecutionsAsync(AggregationNames.StateMachine, maxResults: limit, cancellationToken: cancellationToken);
        var views = new List<RunView>(page.Executions.Count);
        foreach (var execution in page.Executions) views.Add(await ViewAsync(execution, cancellationToken));
        return views;
    }

    public async Task<RunView?> GetAsync(string runId, CancellationToken cancellationToken) =>
        await FindAsync(runId, cancellationToken) is { } execution ? await ViewAsync(execution, cancellationToken) : null;

    /// <summary>The run's history events, oldest first, without their (large) inputs and outputs.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(RunView run, int max, CancellationToken cancellationToken)
    {
        var events = new List<HistoryEvent>();
        string? token = null;
        do
        {
            var page = await engine.GetExecutionHistoryAsync(run.ExecutionArn, Math.Min(1000, max - events.Count), token, cancellationToken: cancellationToken);
            events.AddRange(page.Events.Select(e => e with { Input = null, Output = null }));
            token = page.NextToken;
        }
        while (token is not null && events.Count < max);
        return events;
    }

    private async Task<ExecutionSummary?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await engine.ListExecutionsAsync(AggregationNames.StateMachine, maxResults: 1000, nextToken: token, cancellationToken: cancellationToken);
            if (page.Executions.FirstOrDefault(e => e.Name == runId) is { } found) return found;
            token = page.NextToken;
        }
        while (token is not null);
        return null;
    }

    private async Task<RunView> ViewAsync(ExecutionSummary execution, CancellationToken cancellationToken) =>
        new(execution.Name, execution.ExecutionArn, execution.Status, execution.StartDate, execution.StopDate,
            await RunRecords.ReadSummaryAsync(table, execution.Name, cancellationToken));
}
