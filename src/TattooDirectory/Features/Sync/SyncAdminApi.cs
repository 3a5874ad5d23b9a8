using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Sync;

public sealed record SyncStatusDto(long Position, long Latest, long Behind, DateTimeOffset? LastPassAt, string? LastError, bool Running, IReadOnlyList<SyncDeadLetter> DeadLetters, ReindexStatusDto Reindex);

public sealed record ReindexStatusDto(string State, DateTimeOffset? StartedAt, ReindexResult? LastResult, string? LastError);

/// <summary>One reindex at a time, run in the background while the directory keeps serving.</summary>
public sealed partial class ReindexRunner(Reindexer reindexer, TimeProvider time, ILogger<ReindexRunner> logger)
{
    private readonly Lock _lock = new();
    private Task? _running;

    public DateTimeOffset? StartedAt { get; private set; }
    public ReindexResult? LastResult { get; private set; }
    public string? LastError { get; private set; }
    public bool IsRunning => _running is { IsCompleted: false };

    /// <summary>Starts a reindex unless one is running; returns false when one already is.</summary>
    public bool TryStart()
    {
        lock (_lock)
        {
            if (IsRunning) return false;
            StartedAt = time.GetUtcNow();
            _running = Task.Run(RunAsync);
            return true;
        }
    }

    public Task WaitAsync() => _running ?? Task.CompletedTask;

    private async Task RunAsync()
    {
        try
        {
            LastResult = await reindexer.RunAsync();
            LastError = null;
        }
        catch (Exception ex)
        {
            LastError = ex.GetType().Name;
            LogFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reindex failed ({ErrorType})")]
    private static partial void LogFailed(ILogger logger, string errorType);
}

public static class SyncAdminApi
{
    public static IEndpointRouteBuilder MapSyncAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminGroup("/sync").MapGet("/", GetAsync).WithName("GetSyncStatus").WithSummary("Sync checkpoint, lag and dead letters");
        app.MapAdminGroup("/reindex").MapPost("/", Start).WithName("StartReindex").WithSummary("Rebuild the index from the store while serving");
        return app;
    }

    internal static async Task<Ok<SyncStatusDto>> GetAsync(SyncStatus status, IChangeStream stream, ITable table, ReindexRunner reindex, CancellationToken ct)
    {
        var latest = await stream.GetLatestSequenceAsync(ct);
        var letters = await table.QueryAsync(new TableQuery(Keys.SyncDeadLetterPk) { Descending = true, Limit = 100 }, ct);
        return TypedResults.Ok(new SyncStatusDto(status.Position, latest, Math.Max(0, latest - status.Position), status.LastPassAt, status.LastError, status.Running,
            [.. letters.Items.Select(i => JsonSerializer.Deserialize(i.Data, CatalogJson.Default.SyncDeadLetter)!)],
            new ReindexStatusDto(reindex.IsRunning ? "running" : "idle", reindex.StartedAt, reindex.LastResult, reindex.LastError)));
    }

    internal static Results<Accepted<ReindexStatusDto>, ProblemHttpResult> Start(ReindexRunner reindex) =>
        reindex.TryStart()
            ? TypedResults.Accepted("/v1/admin/sync", new ReindexStatusDto("running", reindex.StartedAt, reindex.LastResult, null))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A reindex is already running");
}
