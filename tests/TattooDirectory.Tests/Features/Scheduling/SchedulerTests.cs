using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Scheduling;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Core.Scheduling;
using static TattooDirectory.Tests.Core.Scheduling.SchedulingRig;

namespace TattooDirectory.Tests.Features.Scheduling;

/// <summary>The background service on a fake clock: each test waits for the timer the scheduler sets before moving time.</summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromDays(7);
    private readonly SchedulingRig _rig = new();
    private readonly SchedulerStatus _status = new();
    private ServiceProvider? _services;
    private Scheduler? _scheduler;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.StopAsync(CancellationToken.None);
            _scheduler.Dispose();
        }

        if (_services is not null) await _services.DisposeAsync();
        await _rig.DisposeAsync();
    }

    [Fact]
    public async Task The_scheduler_sleeps_until_a_rule_is_due_and_then_fires_it()
    {
        await StartAsync(_rig.Book(Rule("cron(0 2 * * ? *)")), withEngine: true);

        Assert.Equal(TimeSpan.FromHours(17), await _rig.Clock.NextTimerAsync());
        Assert.Equal(SchedulerState.Running, _status.State);
        _rig.Clock.Advance(TimeSpan.FromHours(17));

        // Its next sleep is set once the fire is recorded: until 02:00 the day after.
        Assert.Equal(TimeSpan.FromDays(1), await _rig.Clock.NextTimerAsync());
        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
        Assert.Equal(At("2026-11-28T02:00Z"), _status.LastPassAt);
    }

    [Fact]
    public async Task An_operator_switch_wakes_the_scheduler_at_once()
    {
        var book = _rig.Book(Rule("cron(0 2 * * ? *)", enabled: false));
        await StartAsync(book, withEngine: true);
        // Nothing is due: it sleeps for the whole poll interval.
        Assert.Equal(Poll, await _rig.Clock.NextTimerAsync());

        await book.SetEnabledAsync(RuleName, true, Ct);

        Assert.Equal(TimeSpan.FromHours(17), await _rig.Clock.NextTimerAsync());
    }

    [Fact]
    public async Task The_scheduler_sleeps_no_longer_than_the_poll_interval_so_it_sees_changes_made_elsewhere()
    {
        await StartAsync(_rig.Book(Rule("cron(0 2 1 1 ? *)")), withEngine: true);

        Assert.Equal(Poll, await _rig.Clock.NextTimerAsync());
        _rig.Clock.Advance(Poll);
        Assert.Equal(Poll, await _rig.Clock.NextTimerAsync());
    }

    [Fact]
    public async Task Without_a_workflow_engine_the_scheduler_fires_nothing_and_says_so()
    {
        await StartAsync(_rig.Book(Rule("cron(0 2 * * ? *)")), withEngine: false);
        await _scheduler!.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(SchedulerState.NoWorkflowEngine, _status.State);
        Assert.Null(await _rig.StateAsync());
    }

    private async Task StartAsync(ScheduleBook book, bool withEngine)
    {
        var services = new ServiceCollection();
        if (withEngine) services.AddSingleton<IWorkflowEngine>(_rig.Engine());
        _services = services.BuildServiceProvider();
        _scheduler = new Scheduler(book, _status, _services, _rig.Clock, Options.Create(new SchedulingOptions { PollInterval = Poll }), new WorkerHeartbeats(_rig.Clock), NullLoggerFactory.Instance);
        await _scheduler.StartAsync(Ct);
    }
}
