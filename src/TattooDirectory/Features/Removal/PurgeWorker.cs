using System.Collections.Concurrent;
using System.Threading.Channels;
using TattooDirectory.Core.Removal;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>Approved requests waiting for the purge worker; an approval signals here so the purge starts at once.</summary>
public sealed class PurgeQueue
{
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string requestId) => _ids.Writer.TryWrite(requestId);

    internal ChannelReader<string> Reader => _ids.Reader;
}

/// <summary>
/// Runs purges: on start it resumes every approved request (a purge a crash interrupted picks up
/// at its first unrecorded step), then each approval as it is signalled, and it looks for approved
/// requests again every <see cref="RescanEvery"/>: where the API and the workers are separate
/// processes (on AWS, a Lambda function and a container) an approval's signal never reaches this
/// one, and the store is what they share. Purges run side by side,
/// one per request; a failing one is retried with a growing backoff until it completes, and the
/// SLA alarm speaks up if that takes too long. Logs request ids and steps only.
/// </summary>
public sealed partial class PurgeWorker(PurgeRunner runner, RemovalDesk desk, PurgeQueue queue, TimeProvider time, WorkerHeartbeats heartbeats, ILogger<PurgeWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>Well inside the minute an approved purge has to complete in (product.md §8.6).</summary>
    public static readonly TimeSpan RescanEvery = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private WorkerHeartbeat? _heartbeat;

    // Purges come with approvals, which may be days apart: silence is no sign of trouble here.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("purge", quietLimit: null, beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        _heartbeat = heartbeat;
        using var rescan = new PeriodicTimer(RescanEvery, time);
        Task rescans = Task.CompletedTask;
        try
        {
            await ResumeApprovedAsync(stoppingToken);
            heartbeat.Beat();
            rescans = RescanAsync(rescan, stoppingToken);
            await foreach (var requestId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                // An id already running needs no second runner: the running one reads the
                // request afresh before every step.
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (!_running.TryAdd(requestId, done.Task)) continue;
                _ = RunAndReleaseAsync(requestId, done, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the purges in flight stop between steps and resume on the next start.
        }
        await rescans;
        await Task.WhenAll(_running.Values);
    }

    private async Task RescanAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await ResumeApprovedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ResumeApprovedAsync(CancellationToken stoppingToken)
    {
        for (var backoff = FirstBackoff; ; backoff = Next(backoff))
        {
            try
            {
                string? cursor = null;
                do
                {
                    var page = await desk.ListAsync(RemovalStatus.Approved, 100, cursor, stoppingToken);
                    foreach (var request in page.Items) queue.Enqueue(request.RequestId);
                    cursor = page.NextCursor;
                }
                while (cursor is not null);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogResumeFailed(logger, ex.GetType().Name, backoff.TotalSeconds);
                _heartbeat?.Failing(ex.GetType().Name);
                await Task.Delay(backoff, time, stoppingToken);
            }
        }
    }

    private async Task RunAndReleaseAsync(string requestId, TaskCompletionSource done, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await RunUntilDoneAsync(requestId, stoppingToken);
        }
        finally
        {
            _running.TryRemove(requestId, out _);
            done.SetResult();
        }
    }

    private async Task RunUntilDoneAsync(string requestId, CancellationToken stoppingToken)
    {
        try
        {
            for (var backoff = FirstBackoff; !stoppingToken.IsCancellationRequested; backoff = Next(backoff))
            {
                using var activity = Telemetry.Source.StartActivity("removal.purge");
                activity?.SetTag("removal.request_id", requestId);
                try
                {
                    var request = await runner.RunAsync(requestId, stoppingToken);
                    LogFinished(logger, requestId, request is null ? "unknown" : RemovalNames.Of(request.Status));
                    _heartbeat?.Beat();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var step = (await TryGetAsync(requestId, stoppingToken))?.Purge?.Step;
                    LogFailed(logger, requestId, step?.ToString() ?? "unknown", ex.GetType().Name, backoff.TotalSeconds);
                    _heartbeat?.Failing(ex.GetType().Name);
                    await Task.Delay(backoff, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped between steps; the next start resumes it.
        }
    }

    private async Task<RemovalRequest?> TryGetAsync(string requestId, CancellationToken cancellationToken)
    {
        try
        {
            return await desk.GetAsync(requestId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

    [LoggerMessage(Level = LogLevel.Information, Message = "Removal {RequestId}: purge run ended, request {Status}")]
    private static partial void LogFinished(ILogger logger, string requestId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Removal {RequestId}: purge failed after step {Step} ({ErrorType}); retrying in {BackoffSeconds} s")]
    private static partial void LogFailed(ILogger logger, string requestId, string step, string errorType, double backoffSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not list the approved removal requests to resume ({ErrorType}); retrying in {BackoffSeconds} s")]
    private static partial void LogResumeFailed(ILogger logger, string errorType, double backoffSeconds);
}
