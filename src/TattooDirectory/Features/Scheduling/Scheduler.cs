using Microsoft.Extensions.Options;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Scheduling;

public enum SchedulerState
{
    Starting,
    Running,
    Stopped,

    /// <summary>No workflow engine is registered, so there is nothing to start: rules are listed and switched, never fired.</summary>
    NoWorkflowEngine,
}

/// <summary>What the scheduler is doing, for the admin API.</summary>
public sealed class SchedulerStatus
{
    public SchedulerState State { get; internal set; } = SchedulerState.Starting;
    public DateTimeOffset? LastPassAt { get; internal set; }
}

/// <summary>
/// The in-process stand-in for EventBridge rules: after each pass of the <see cref="ScheduleRunner"/>
/// it sleeps on the <see cref="TimeProvider"/> until the next rule is due, an operator switches a
/// rule, or the poll interval has passed, whichever comes first.
/// </summary>
/// <remarks>
/// The workflow engine is looked up rather than injected so the app still starts (and lists its
/// rules) on a host that has none registered.
/// </remarks>
public sealed partial class Scheduler(
    ScheduleBook book,
    SchedulerStatus status,
    IServiceProvider services,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    WorkerHeartbeats heartbeats,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<Scheduler>();

    /// <summary>The longest a running scheduler goes between passes without being stuck: it sleeps at most one poll interval.</summary>
    public static TimeSpan QuietLimit(TimeSpan pollInterval) => 2 * pollInterval + TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("scheduler", QuietLimit(options.Value.PollInterval), beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        if (services.GetService<IWorkflowEngine>() is not { } engine)
        {
            heartbeat.Disabled("no workflow engine is registered");
            status.State = SchedulerState.NoWorkflowEngine;
            LogNoEngine(_logger, book.Rules.Count);
            return;
        }

        var runner = new ScheduleRunner(book, engine, time, loggers.CreateLogger<ScheduleRunner>());
        status.State = SchedulerState.Running;
        try
        {
            while (true)
            {
                // Taken before the pass, so a switch made during it still cuts the next sleep short.
                var changed = book.WhenChanged;
                DateTimeOffset? wake;
                using (var activity = Telemetry.Source.StartActivity("scheduler.pass"))
                {
                    wake = await runner.RunDueAsync(stoppingToken);
                    activity?.SetTag("scheduler.rules", book.Rules.Count);
                }

                var now = time.GetUtcNow();
                status.LastPassAt = now;
                heartbeat.Beat();
                var poll = options.Value.PollInterval;
                var sleep = wake is { } at ? TimeSpan.FromTicks(Math.Clamp((at - now).Ticks, 0, poll.Ticks)) : poll;
                await SleepAsync(sleep, changed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a claim in flight is taken over after its timeout by whoever runs next.
        }
        finally
        {
            status.State = SchedulerState.Stopped;
        }
    }

    private async Task SleepAsync(TimeSpan sleep, Task changed, CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(sleep, time, wake.Token);
        await Task.WhenAny(delay, changed);
        // Ends the timer when the switch came first.
        await wake.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No workflow engine is registered: the {RuleCount} schedule rules are listed but will not fire")]
    private static partial void LogNoEngine(ILogger logger, int ruleCount);
}
