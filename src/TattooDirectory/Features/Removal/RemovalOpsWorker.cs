using Microsoft.Extensions.Diagnostics.HealthChecks;
using TattooDirectory.Core.Removal;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>What the removal operations worker last did, for health.</summary>
public sealed class RemovalOpsStatus
{
    public bool Running { get; internal set; }
    public DateTimeOffset? LastRunAt { get; private set; }
    public string? LastError { get; private set; }

    internal void Ran(DateTimeOffset at, string? error)
    {
        LastRunAt = at;
        LastError = error;
    }
}

/// <summary>
/// Once a minute: the removal SLA alarms, then contact-data retention. Both are idempotent and
/// every change is conditional, so a failed run (logged by error type, never with personal data)
/// is simply done again on the next tick.
/// </summary>
public sealed partial class RemovalOpsWorker(RemovalSla sla, ContactRetention retention, RemovalOpsStatus status, TimeProvider time, WorkerHeartbeats heartbeats, ILogger<RemovalOpsWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("removal-ops", 3 * Interval, beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        // Created before the first run, so a minute that passes during that run still ticks.
        using var timer = new PeriodicTimer(Interval, time);
        status.Running = true;
        try
        {
            do
            {
                if (await RunOnceAsync(stoppingToken) is { } error) heartbeat.Failing(error);
                else heartbeat.Beat();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            status.Running = false;
        }
    }

    /// <summary>One run; returns the error type of the first job that failed, or null.</summary>
    private async Task<string?> RunOnceAsync(CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity("removal.ops");
        string? error = null;
        try
        {
            var alarms = await sla.CheckAsync(cancellationToken);
            activity?.SetTag("removal.sla.alarms", alarms.Total);
            if (alarms.Total > 0) LogAlarms(logger, alarms.Warnings, alarms.Criticals, alarms.OverduePurges);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex.GetType().Name;
            LogFailed(logger, "SLA check", error);
        }
        try
        {
            var scrubbed = await retention.RunAsync(cancellationToken);
            activity?.SetTag("removal.retention.scrubbed", scrubbed);
            if (scrubbed > 0) LogScrubbed(logger, scrubbed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error ??= ex.GetType().Name;
            LogFailed(logger, "contact retention", ex.GetType().Name);
        }
        status.Ran(time.GetUtcNow(), error);
        return error;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removal SLA: raised {Warnings} warning, {Criticals} critical and {OverduePurges} overdue-purge alarms")]
    private static partial void LogAlarms(ILogger logger, int warnings, int criticals, int overduePurges);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removal retention: deleted the contact data of {Requests} closed requests")]
    private static partial void LogScrubbed(ILogger logger, int requests);

    [LoggerMessage(Level = LogLevel.Error, Message = "Removal {Job} failed ({ErrorType}); retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, string job, string errorType);
}

internal sealed class RemovalOpsHealthCheck(RemovalOpsStatus status) : IHealthCheck
{
    public const string Name = "removal-ops";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(
        !status.Running ? HealthCheckResult.Degraded("The removal SLA and retention worker is not running.")
        : status.LastError is { } error ? HealthCheckResult.Degraded($"The last removal SLA/retention run failed ({error}); it is retried every minute.")
        : HealthCheckResult.Healthy(status.LastRunAt is { } at ? $"Last run {at:O}." : "Starting."));
}
