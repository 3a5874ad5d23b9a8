using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Run;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation;

public sealed record StartRunRequest(IReadOnlyList<string>? Cities);

public sealed record StartedRunDto(string RunId);

public sealed record RunDto(string RunId, string Status, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt, RunSummary? Summary)
{
    public static RunDto From(RunView view) => new(view.RunId, StatusName(view.Status), view.StartedAt, view.StoppedAt, view.Summary);

    /// <summary>Step Functions' spelling: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED.</summary>
    public static string StatusName(ExecutionStatus status) => status == ExecutionStatus.TimedOut ? "TIMED_OUT" : status.ToString().ToUpperInvariant();
}

public sealed record RunListDto(IReadOnlyList<RunDto> Items);

public sealed record RunEventDto(long Id, DateTimeOffset Timestamp, string Type, string? State, string? Error, string? Cause, int? Iteration);

public sealed record RunDetailDto(RunDto Run, IReadOnlyList<RunEventDto> History);

public sealed record QueueDto(string Name, int Visible, int InFlight, int Delayed, int DeadLetters, double? OldestAgeSeconds);

public sealed record QueueListDto(IReadOnlyList<QueueDto> Items);

public sealed record DeadLetterDto(string MessageId, int ReceiveCount, DateTimeOffset SentAt, JsonElement Body);

public sealed record DeadLetterListDto(string Queue, int DeadLetters, IReadOnlyList<DeadLetterDto> Items);

public sealed record RedriveDto(string Queue, int Moved);

/// <summary>The admin API of product.md §4 for aggregation runs and queues.</summary>
internal static class AggregationAdminApi
{
    private const int MaxHistoryEvents = 2000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var runs = app.MapAdminGroup("/aggregation-runs");
        runs.MapPost("/", StartAsync).WithBodyLimit(4096).WithName("StartAggregationRun").WithSummary("Start an aggregation run now; optional body {cities}");
        runs.MapGet("/", ListAsync).WithName("ListAggregationRuns").WithSummary("Aggregation runs, newest first, with status and counts");
        runs.MapGet("/{runId}", GetAsync).WithName("GetAggregationRun").WithSummary("One run: its summary and the engine's per-state history");
        var queues = app.MapAdminGroup("/queues");
        queues.MapGet("/", QueuesAsync).WithName("ListQueues").WithSummary("Depth, in flight, delayed, dead letters and oldest age per queue");
        queues.MapGet("/{name}/dlq", PeekAsync).WithName("PeekDeadLetters").WithSummary("Up to 10 dead-lettered messages, left in place");
        queues.MapPost("/{name}/redrive", RedriveAsync).WithName("RedriveDeadLetters").WithSummary("Move every dead-lettered message back to its queue");
    }

    internal static async Task<Results<Accepted<StartedRunDto>, ValidationProblem>> StartAsync(HttpRequest request, AggregationRuns runs, CancellationToken ct)
    {
        StartRunRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await request.ReadFromJsonAsync<StartRunRequest>(ct);
            }
            catch (JsonException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body must be JSON: {\"cities\": [\"Leeds\"]}."] });
            }
        }

        try
        {
            var runId = await runs.StartAsync(body?.Cities, ct);
            return TypedResults.Accepted($"{AdminAuth.ApiPrefix}/aggregation-runs/{runId}", new StartedRunDto(runId));
        }
        catch (ArgumentException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cities"] = [ex.Message] });
        }
    }

    internal static async Task<Ok<RunListDto>> ListAsync(AggregationRuns runs, int? limit, CancellationToken ct) =>
        TypedResults.Ok(new RunListDto([.. (await runs.ListAsync(Math.Clamp(limit ?? 50, 1, 1000), ct)).Select(RunDto.From)]));

    internal static async Task<Results<Ok<RunDetailDto>, ProblemHttpResult>> GetAsync(string runId, AggregationRuns runs, CancellationToken ct)
    {
        if (await runs.GetAsync(runId, ct) is not { } run) return RunNotFound(runId);
        var history = await runs.HistoryAsync(run, MaxHistoryEvents, ct);
        return TypedResults.Ok(new RunDetailDto(RunDto.From(run), [.. history.Select(e => new RunEventDto(e.Id, e.Timestamp, e.Type.ToString(), e.StateName, e.Error, e.Cause, e.IterationIndex))]));
    }

    internal static async Task<Ok<QueueListDto>> QueuesAsync(IQueues queues, CancellationToken ct)
    {
        var items = new List<QueueDto>();
        foreach (var (name, entry) in AggregationModule.Queues)
        {
            var stats = await queues.Get(name, entry.Settings).GetStatsAsync(ct);
            items.Add(new QueueDto(name, stats.Visible, stats.InFlight, stats.Delayed, stats.DeadLetters, stats.OldestMessageAge?.TotalSeconds));
        }

        return TypedResults.Ok(new QueueListDto(items));
    }

    internal static async Task<Results<Ok<DeadLetterListDto>, ProblemHttpResult>> PeekAsync(string name, IQueues queues, CancellationToken ct)
    {
        if (Open(name, queues) is not { } queue) return QueueNotFound(name);
        var letters = await queue.PeekDeadLettersAsync(QueueLimits.MaxReceiveMessages, ct);
        var stats = await queue.GetStatsAsync(ct);
        return TypedResults.Ok(new DeadLetterListDto(name, stats.DeadLetters, [.. letters.Select(l => new DeadLetterDto(l.MessageId, l.ReceiveCount, l.SentAt, BodyOf(l.Body)))]));
    }

    internal static async Task<Results<Ok<RedriveDto>, ProblemHttpResult>> RedriveAsync(string name, IQueues queues, CancellationToken ct) =>
        Open(name, queues) is { } queue ? TypedResults.Ok(new RedriveDto(name, await queue.RedriveAsync(ct))) : QueueNotFound(name);

    internal static IQueue? Open(string name, IQueues queues) =>
        AggregationModule.Queues.TryGetValue(name, out var entry) ? queues.Get(name, entry.Settings) : null;

    /// <summary>A body as JSON when it is JSON (scrape jobs are), else as a string.</summary>
    private static JsonElement BodyOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(body);
        }
    }

    private static ProblemHttpResult RunNotFound(string runId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"No aggregation run is named '{runId}'.");

    private static ProblemHttpResult QueueNotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Queue not found",
            detail: $"No queue is named '{name}'; the queues are {string.Join(", ", AggregationModule.Queues.Keys)}.");
}
