using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Features.Scheduling;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Health;

/// <summary>Every queue the app uses answers its stats; the data has each one's depth and dead letters (a non-empty DLQ is an alarm, not ill health).</summary>
internal sealed class QueueHealthCheck(IQueues queues) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var failing = new List<string>();
        foreach (var (name, entry) in AggregationModule.Queues)
        {
            try
            {
                var stats = await queues.Get(name, entry.Settings).GetStatsAsync(cancellationToken);
                data[$"{name}.waiting"] = stats.Visible + stats.Delayed;
                data[$"{name}.inFlight"] = stats.InFlight;
                data[$"{name}.deadLetters"] = stats.DeadLetters;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failing.Add($"{name} ({HealthReasons.Describe(ex)})");
            }
        }

        return failing.Count > 0
            ? HealthCheckResult.Unhealthy($"Queues not answering: {string.Join(", ", failing)}.", data: data)
            : HealthCheckResult.Healthy($"{AggregationModule.Queues.Count} queues answer.", data);
    }
}

/// <summary>The background workers' heartbeats: degraded, naming each one, when a worker is silent, failing, stopped or crashed.</summary>
internal sealed class WorkersHealthCheck(WorkerHeartbeats heartbeats) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reports = heartbeats.Report();
        var data = reports.ToDictionary(r => r.Name, r => (object)r.Reason);
        var unwell = reports.Where(r => !r.IsHealthy).Select(r => $"{r.Name}: {r.Reason}").ToList();
        return Task.FromResult(unwell.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", unwell) + ".", data: data)
            : HealthCheckResult.Healthy(Running(reports), data));
    }

    private static string Running(IReadOnlyList<WorkerReport> reports)
    {
        var disabled = reports.Count(r => r.Condition == WorkerCondition.Disabled);
        var text = string.Create(CultureInfo.InvariantCulture, $"{reports.Count - disabled} workers running");
        return disabled == 0 ? text + "." : string.Create(CultureInfo.InvariantCulture, $"{text}, {disabled} disabled by configuration.");
    }
}

/// <summary>The scheduler's last pass and the next rule due; degraded when it has stopped or missed its passes.</summary>
internal sealed class SchedulerHealthCheck(SchedulerStatus status, ScheduleBook book, IOptions<SchedulingOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var views = await book.ListAsync(cancellationToken);
        var nextDue = views.Where(v => v.Enabled && v.NextDue is not null).Select(v => v.NextDue!.Value).Order().FirstOrDefault();
        var data = new Dictionary<string, object> { ["rules"] = views.Count, ["enabled"] = views.Count(v => v.Enabled) };
        if (status.LastPassAt is { } last) data["lastTick"] = last.UtcDateTime;
        if (nextDue != default) data["nextDue"] = nextDue.UtcDateTime;

        return status.State switch
        {
            SchedulerState.NoWorkflowEngine => HealthCheckResult.Healthy("No workflow engine: rules are listed but never fired.", data),
            SchedulerState.Stopped => HealthCheckResult.Degraded("The scheduler has stopped.", data: data),
            SchedulerState.Running when status.LastPassAt is { } at && time.GetUtcNow() - at > Scheduler.QuietLimit(options.Value.PollInterval) =>
                HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"No scheduler pass for {(long)(time.GetUtcNow() - at).TotalSeconds} s."), data: data),
            SchedulerState.Running => HealthCheckResult.Healthy(nextDue == default ? "Running; no rule due." : "Running.", data),
            _ => HealthCheckResult.Healthy("Starting.", data),
        };
    }
}
