using TattooDirectory.Core.Caching;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Sync;

/// <summary>What the sync worker last did, for health and the admin pages.</summary>
public sealed class SyncStatus
{
    public DateTimeOffset? LastPassAt { get; private set; }
    public string? LastError { get; private set; }
    public long Position { get; private set; }
    public long DeadLettered { get; private set; }
    public bool Running { get; set; }

    internal void Passed(SyncPass pass, DateTimeOffset at)
    {
        LastPassAt = at;
        LastError = null;
        Position = pass.Position;
        DeadLettered += pass.DeadLettered;
    }

    internal void Failed(Exception ex, DateTimeOffset at)
    {
        LastPassAt = at;
        LastError = Health.HealthReasons.Describe(ex);
    }
}

/// <summary>
/// Runs the index sync continuously: a pass whenever the change stream has something new,
/// waking on commit so a write is searchable within milliseconds. After each pass the cached
/// responses showing what it changed are dropped, before the status reports the new position,
/// so whoever sees the sync caught up also sees no stale page.
/// </summary>
public sealed partial class SyncWorker(
    IndexSync sync,
    IChangeStream stream,
    SyncStatus status,
    IResponseCacheInvalidator responseCache,
    DirectoryMetrics metrics,
    TimeProvider time,
    WorkerHeartbeats heartbeats,
    ILogger<SyncWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    /// <summary>The failure reason of changes given up on after their retries (the other reasons are exception types).</summary>
    public const string DeadLetteredReason = "dead_lettered";

    /// <summary>Idle passes end every second and the failure backoff stops at 30 s.</summary>
    public static readonly TimeSpan QuietLimit = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("sync", QuietLimit, beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        status.Running = true;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                SyncPass pass;
                using (var activity = Telemetry.Source.StartActivity("sync.pass"))
                {
                    pass = await sync.RunOnceAsync(stoppingToken);
                    activity?.SetTag("sync.records", pass.Records);
                    // Failing to evict fails the pass like an index failure; anything a retry misses expires with the cache's 30 s.
                    if (pass.ArtistIds.Count + pass.StudioIds.Count > 0) await responseCache.InvalidateAsync(pass.ArtistIds, pass.StudioIds, stoppingToken);
                }
                status.Passed(pass, time.GetUtcNow());
                heartbeat.Beat();
                if (pass.DeadLettered > 0) metrics.SyncFailures.Add(pass.DeadLettered, new KeyValuePair<string, object?>(MetricNames.Reason, DeadLetteredReason));
                backoff = TimeSpan.FromMilliseconds(100);
                if (pass.Records == 0) await stream.WaitForChangesAsync(pass.Position, IdleWait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The position did not move: the same records are retried after the backoff.
                status.Failed(ex, time.GetUtcNow());
                heartbeat.Failing(ex.GetType().Name);
                metrics.SyncFailures.Add(1, new KeyValuePair<string, object?>(MetricNames.Reason, ex.GetType().Name));
                LogPassFailed(logger, ex.GetType().Name, backoff.TotalMilliseconds);
                sync.Reset();
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        status.Running = false;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await sync.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is lost: the checkpoint stays where it was and the next start replays from it.
            LogFlushFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not commit the index on shutdown ({ErrorType}); the next start replays from the last checkpoint")]
    private static partial void LogFlushFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync pass failed ({ErrorType}); retrying in {BackoffMs} ms")]
    private static partial void LogPassFailed(ILogger logger, string errorType, double backoffMs);
}

/// <summary>
/// Rebuilds the index from the store on start when the index is empty but the store is not (the
/// index folder was lost or deleted): the change stream only keeps 24 hours, so replaying it
/// could not restore everything.
/// </summary>
internal sealed partial class IndexBootstrap(ISearchIndex index, ITable table, Reindexer reindexer, ILogger<IndexBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await index.CountAsync(cancellationToken) > 0) return;
            await foreach (var _ in table.ScanAsync(Keys.ArtistPrefix, cancellationToken))
            {
                var result = await reindexer.RunAsync(cancellationToken: cancellationToken);
                LogRebuilt(logger, result.Documents, result.Elapsed.TotalMilliseconds);
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unreachable index or store must not stop the app from starting: /health reports
            // it, and a reindex from the admin pages rebuilds once it answers.
            LogBootstrapFailed(logger, ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The search index was empty while the store was not: rebuilt {Documents} documents in {ElapsedMs:F0} ms")]
    private static partial void LogRebuilt(ILogger logger, int documents, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not check whether the search index needs a rebuild ({ErrorType}); starting without")]
    private static partial void LogBootstrapFailed(ILogger logger, string errorType);
}

public static class SyncModule
{
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IndexSync>();
        builder.Services.AddSingleton<Reindexer>();
        builder.Services.AddSingleton<SyncStatus>();
        builder.Services.AddSingleton<ReindexRunner>();
        builder.Services.AddHostedService<IndexBootstrap>();
        builder.Services.AddHostedService<SyncWorker>();
        builder.Services.AddHostedService<SyncGauges>();
        return builder;
    }
}
