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
        LastError = ex.GetType().Name;
    }
}

/// <summary>
/// Runs the index sync continuously: a pass whenever the change stream has something new,
/// waking on commit so a write is searchable within milliseconds.
/// </summary>
public sealed partial class SyncWorker(IndexSync sync, IChangeStream stream, SyncStatus status, TimeProvider time, ILogger<SyncWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                }
                status.Passed(pass, time.GetUtcNow());
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

public static class SyncModule
{
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IndexSync>();
        builder.Services.AddSingleton<Reindexer>();
        builder.Services.AddSingleton<SyncStatus>();
        builder.Services.AddHostedService<SyncWorker>();
        return builder;
    }
}
