using Microsoft.Extensions.Options;
using System.Collections.Concurrent;

namespace TattooDirectory.Hosting;

/// <summary>How a background worker is doing, as its heartbeat tells it.</summary>
public enum WorkerCondition
{
    /// <summary>Started, no pass finished yet.</summary>
    Starting,
    Running,
    /// <summary>Alive, but its last pass failed; it is retrying.</summary>
    Failing,
    /// <summary>Turned off by configuration: not a fault.</summary>
    Disabled,
    /// <summary>Its loop ended while the app goes on serving.</summary>
    Stopped,
    /// <summary>Its loop ended with an exception.</summary>
    Crashed,
    /// <summary>No sign of life for longer than it promised.</summary>
    Silent,
}

/// <summary>One worker's condition and a short reason (error type names and ages only, never data).</summary>
public sealed record WorkerReport(string Name, WorkerCondition Condition, DateTimeOffset? LastSeenAt, string Reason)
{
    public bool IsHealthy => Condition is WorkerCondition.Starting or WorkerCondition.Running or WorkerCondition.Disabled;
}

/// <summary>
/// The registry every <see cref="BackgroundService"/> reports to (architecture.md: "health
/// reported"). A worker runs its loop through <see cref="RunAsync"/>, which notices when the loop
/// ends or throws, and calls <see cref="WorkerHeartbeat.Beat"/> after each pass; /health turns the
/// registry into the "workers" component.
/// </summary>
public sealed class WorkerHeartbeats(TimeProvider time, IOptions<RolesOptions>? roles = null)
{
    private readonly ConcurrentDictionary<string, WorkerHeartbeat> _workers = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="loop"/> as the worker <paramref name="name"/>. <paramref name="quietLimit"/>
    /// is the longest a healthy worker goes between beats; null for a worker that only acts on
    /// events and may rightly stay quiet for days. An exception from the loop is recorded and rethrown.
    /// A worker whose role this process does not run is reported disabled and its loop never starts.
    /// </summary>
    public async Task RunAsync(string name, TimeSpan? quietLimit, Func<WorkerHeartbeat, Task> loop, CancellationToken stoppingToken)
    {
        var heartbeat = new WorkerHeartbeat(name, quietLimit, time);
        _workers[name] = heartbeat;
        var role = RolesOptions.RoleOfWorker(name);
        if (roles?.Value is { } configured && !configured.Runs(role))
        {
            heartbeat.Disabled($"the {role} role is not in Roles");
            return;
        }

        try
        {
            await loop(heartbeat);
            heartbeat.Ended(null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            heartbeat.Ended(null);
        }
        catch (Exception ex)
        {
            heartbeat.Ended(ex.GetType().Name);
            throw;
        }
    }

    /// <summary>Every worker that has started in this process, by name.</summary>
    public IReadOnlyList<WorkerReport> Report()
    {
        var now = time.GetUtcNow();
        return [.. _workers.Values.Select(w => w.Report(now)).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }
}

/// <summary>What one worker tells the registry.</summary>
public sealed class WorkerHeartbeat
{
    private readonly Lock _lock = new();
    private readonly string _name;
    private readonly TimeSpan? _quietLimit;
    private readonly TimeProvider _time;
    private WorkerCondition _condition = WorkerCondition.Starting;
    private DateTimeOffset _lastSeen;
    private string? _detail;

    internal WorkerHeartbeat(string name, TimeSpan? quietLimit, TimeProvider time)
    {
        _name = name;
        _quietLimit = quietLimit;
        _time = time;
        _lastSeen = time.GetUtcNow();
    }

    /// <summary>A pass finished normally.</summary>
    public void Beat() => Set(WorkerCondition.Running, null);

    /// <summary>A pass failed with <paramref name="errorType"/> and will be retried.</summary>
    public void Failing(string errorType) => Set(WorkerCondition.Failing, errorType);

    /// <summary>Configuration turned the worker off; <paramref name="why"/> says which setting, in plain words.</summary>
    public void Disabled(string why) => Set(WorkerCondition.Disabled, why);

    internal void Ended(string? errorType)
    {
        lock (_lock)
        {
            // A disabled worker's loop returns at once: that is not a stop.
            if (_condition == WorkerCondition.Disabled) return;
            _condition = errorType is null ? WorkerCondition.Stopped : WorkerCondition.Crashed;
            _detail = errorType;
            _lastSeen = _time.GetUtcNow();
        }
    }

    private void Set(WorkerCondition condition, string? detail)
    {
        lock (_lock)
        {
            _condition = condition;
            _detail = detail;
            _lastSeen = _time.GetUtcNow();
        }
    }

    internal WorkerReport Report(DateTimeOffset now)
    {
        lock (_lock)
        {
            var quiet = now - _lastSeen;
            var alive = _condition is WorkerCondition.Starting or WorkerCondition.Running or WorkerCondition.Failing;
            if (alive && quiet > _quietLimit)
            {
                return new WorkerReport(_name, WorkerCondition.Silent, _lastSeen, $"no heartbeat for {Seconds(quiet)} s (expected within {Seconds(_quietLimit.Value)} s)");
            }

            var reason = _condition switch
            {
                WorkerCondition.Starting => "starting",
                WorkerCondition.Running => "running",
                WorkerCondition.Failing => $"last pass failed ({_detail}); retrying",
                WorkerCondition.Disabled => $"disabled: {_detail}",
                WorkerCondition.Crashed => $"crashed ({_detail})",
                _ => "stopped",
            };
            return new WorkerReport(_name, _condition, _lastSeen, reason);
        }
    }

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
