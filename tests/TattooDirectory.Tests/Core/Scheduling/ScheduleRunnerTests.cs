using System.Text.Json.Nodes;
using TattooDirectory.Core.Scheduling;
using static TattooDirectory.Tests.Core.Scheduling.SchedulingRig;

namespace TattooDirectory.Tests.Core.Scheduling;

public sealed class ScheduleRunnerTests : IAsyncLifetime
{
    private const string Daily = "cron(0 2 * * ? *)";
    private readonly SchedulingRig _rig = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task A_due_rule_starts_its_state_machine_once_named_after_the_occurrence()
    {
        var runner = _rig.Runner(Rule(Daily));

        // First seen at 09:00: today's 02:00 had passed before the rule existed, so nothing fires.
        Assert.Equal(At("2026-11-28T02:00Z"), await runner.RunDueAsync(Ct));
        Assert.Empty(await _rig.ExecutionNamesAsync());

        _rig.SetTime("2026-11-28T02:00Z");
        Assert.Equal(At("2026-11-29T02:00Z"), await runner.RunDueAsync(Ct));
        Assert.Equal(At("2026-11-29T02:00Z"), await runner.RunDueAsync(Ct));

        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
        var state = (await _rig.StateAsync())!;
        Assert.Equal(At("2026-11-28T02:00Z"), state.LastOccurrence);
        Assert.Equal(At("2026-11-28T02:00Z"), state.LastFireAt);
        Assert.Equal(At("2026-11-29T02:00Z"), state.NextDue);
        Assert.Null(state.Claim);
        var execution = (await _rig.Engine().DescribeExecutionAsync(state.LastExecutionArn!, Ct))!;
        Assert.Equal("nightly-run-20261128T0200Z", execution.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Input), JsonNode.Parse(execution.Input)), execution.Input);
    }

    [Fact]
    public async Task After_downtime_one_catch_up_fires_for_every_missed_occurrence_and_the_schedule_resumes()
    {
        var runner = _rig.Runner(Rule(Daily));
        await runner.RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        await runner.RunDueAsync(Ct);

        // Down from just after 02:00 on the 28th until 09:30 on 3 December: five occurrences missed.
        _rig.SetTime("2026-12-03T09:30Z");
        Assert.Equal(At("2026-12-04T02:00Z"), await runner.RunDueAsync(Ct));
        Assert.Equal(At("2026-12-04T02:00Z"), await runner.RunDueAsync(Ct));
        Assert.Equal(["nightly-run-20261128T0200Z", "nightly-run-20261129T0200Z"], await _rig.ExecutionNamesAsync());

        _rig.SetTime("2026-12-04T02:00Z");
        await runner.RunDueAsync(Ct);
        Assert.Equal(["nightly-run-20261128T0200Z", "nightly-run-20261129T0200Z", "nightly-run-20261204T0200Z"], await _rig.ExecutionNamesAsync());
    }

    [Fact]
    public async Task A_rate_counts_from_when_the_rule_was_first_seen_and_catches_up_once_on_its_own_grid()
    {
        _rig.SetTime("2026-11-27T09:00:20Z");
        var runner = _rig.Runner(Rule("rate(1 hour)"));
        Assert.Equal(At("2026-11-27T10:00Z"), await runner.RunDueAsync(Ct));

        _rig.SetTime("2026-11-27T10:00Z");
        Assert.Equal(At("2026-11-27T11:00Z"), await runner.RunDueAsync(Ct));
        _rig.SetTime("2026-11-27T15:30Z");
        Assert.Equal(At("2026-11-27T16:00Z"), await runner.RunDueAsync(Ct));

        Assert.Equal(["nightly-run-20261127T1000Z", "nightly-run-20261127T1100Z"], await _rig.ExecutionNamesAsync());
    }

    [Fact]
    public async Task An_occurrence_fired_before_a_restart_is_not_fired_again_after_it()
    {
        await _rig.Runner(Rule(Daily)).RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        await _rig.Runner(Rule(Daily)).RunDueAsync(Ct);

        await _rig.RestartAsync();
        _rig.SetTime("2026-11-28T02:00:30Z");
        Assert.Equal(At("2026-11-29T02:00Z"), await _rig.Runner(Rule(Daily)).RunDueAsync(Ct));

        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
    }

    [Fact]
    public async Task A_crash_between_starting_and_recording_does_not_start_the_occurrence_twice()
    {
        var rule = Rule(Daily);
        await _rig.Runner(rule).RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        // What a process leaves when it dies right after StartExecution: its claim, and the execution.
        await ClaimAsCrashedInstanceAsync(At("2026-11-28T02:00Z"));
        await _rig.Engine().StartExecutionAsync(Machine, Input, rule.ExecutionName(At("2026-11-28T02:00Z")), Ct);
        await _rig.RestartAsync();

        // The claim is left alone until it is a minute old, then taken over.
        _rig.SetTime("2026-11-28T02:00:30Z");
        var runner = _rig.Runner(rule);
        Assert.Equal(At("2026-11-28T02:01Z"), await runner.RunDueAsync(Ct));
        Assert.NotNull((await _rig.StateAsync())!.Claim);
        _rig.SetTime("2026-11-28T02:01Z");
        Assert.Equal(At("2026-11-29T02:00Z"), await runner.RunDueAsync(Ct));

        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
        var state = (await _rig.StateAsync())!;
        Assert.Null(state.Claim);
        Assert.Equal(At("2026-11-28T02:00Z"), state.LastOccurrence);
        Assert.Null(state.LastError);
    }

    [Fact]
    public async Task A_claim_left_by_a_crash_before_starting_is_taken_over_and_fired_once()
    {
        await _rig.Runner(Rule(Daily)).RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        await ClaimAsCrashedInstanceAsync(At("2026-11-28T02:00Z"));
        await _rig.RestartAsync();

        _rig.SetTime("2026-11-28T02:01Z");
        var runner = _rig.Runner(Rule(Daily));
        await runner.RunDueAsync(Ct);
        await runner.RunDueAsync(Ct);

        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
        Assert.Null((await _rig.StateAsync())!.Claim);
    }

    [Fact]
    public async Task Two_schedulers_sharing_a_store_fire_each_occurrence_once_between_them()
    {
        // Each instance has its own workflow engine: only the claim on the shared store can stop a double start.
        var store = new RendezvousTable(_rig.Table, parties: 2);
        var first = _rig.Runner(new ScheduleBook([Rule(Daily)], store, _rig.Clock), _rig.Engine("first.db"));
        var second = _rig.Runner(new ScheduleBook([Rule(Daily)], store, _rig.Clock), _rig.Engine("second.db"));
        await Both();

        foreach (var day in new[] { "2026-11-28", "2026-11-29", "2026-11-30" })
        {
            _rig.SetTime($"{day}T02:00Z");
            store.Arm();
            await Both();
            // The loser waits for the winner's claim; by its next look the fire is recorded.
            _rig.SetTime($"{day}T02:05Z");
            await Both();
        }

        var names = (await _rig.ExecutionNamesAsync("first.db")).Concat(await _rig.ExecutionNamesAsync("second.db")).Order(StringComparer.Ordinal);
        Assert.Equal(["nightly-run-20261128T0200Z", "nightly-run-20261129T0200Z", "nightly-run-20261130T0200Z"], names);

        Task Both() => Task.WhenAll(first.RunDueAsync(Ct), second.RunDueAsync(Ct));
    }

    [Fact]
    public async Task A_disabled_rule_neither_fires_nor_catches_up_when_enabled_again()
    {
        var book = _rig.Book(Rule(Daily));
        var runner = _rig.Runner(book);
        await runner.RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        await runner.RunDueAsync(Ct);

        _rig.SetTime("2026-11-28T10:00Z");
        var disabled = (await book.SetEnabledAsync(RuleName, false, Ct))!;
        Assert.False(disabled.Enabled);
        Assert.Null(disabled.NextDue);
        _rig.SetTime("2026-12-01T09:00Z");
        Assert.Null(await runner.RunDueAsync(Ct));

        _rig.SetTime("2026-12-01T09:30Z");
        Assert.Equal(At("2026-12-02T02:00Z"), (await book.SetEnabledAsync(RuleName, true, Ct))!.NextDue);
        Assert.Equal(At("2026-12-02T02:00Z"), await runner.RunDueAsync(Ct));
        _rig.SetTime("2026-12-02T02:00Z");
        await runner.RunDueAsync(Ct);

        Assert.Equal(["nightly-run-20261128T0200Z", "nightly-run-20261202T0200Z"], await _rig.ExecutionNamesAsync());
    }

    [Fact]
    public async Task A_rule_disabled_in_configuration_fires_once_an_operator_enables_it_and_that_choice_outlives_a_restart()
    {
        var book = _rig.Book(Rule(Daily, enabled: false));
        Assert.Null(await _rig.Runner(book).RunDueAsync(Ct));
        _rig.SetTime("2026-11-28T02:00Z");
        Assert.Null(await _rig.Runner(book).RunDueAsync(Ct));

        _rig.SetTime("2026-11-28T03:00Z");
        await book.SetEnabledAsync(RuleName, true, Ct);
        await _rig.RestartAsync();
        var reopened = _rig.Book(Rule(Daily, enabled: false));
        var view = (await reopened.GetAsync(RuleName, Ct))!;
        Assert.True(view.Enabled);
        Assert.True(view.SetByOperator);
        Assert.Equal(At("2026-11-29T02:00Z"), view.NextDue);

        _rig.SetTime("2026-11-29T02:00Z");
        await _rig.Runner(reopened).RunDueAsync(Ct);
        Assert.Equal(["nightly-run-20261129T0200Z"], await _rig.ExecutionNamesAsync());
    }

    [Fact]
    public async Task A_changed_expression_is_scheduled_afresh_from_now_without_catching_up_the_old_one()
    {
        await _rig.Runner(Rule(Daily)).RunDueAsync(Ct);

        _rig.SetTime("2026-11-29T10:00Z");
        Assert.Equal(At("2026-11-30T03:00Z"), await _rig.Runner(Rule("cron(0 3 * * ? *)")).RunDueAsync(Ct));

        Assert.Empty(await _rig.ExecutionNamesAsync());
        Assert.Equal("cron(0 3 * * ? *)", (await _rig.StateAsync())!.Expression);
    }

    [Fact]
    public async Task A_rule_fires_only_in_the_years_its_year_field_allows()
    {
        Assert.Null(await _rig.Runner(Rule("cron(0 2 * * ? 2020-2025)")).RunDueAsync(Ct));

        var lastYear = _rig.Runner(Rule("cron(0 2 * * ? 2026)"));
        Assert.Equal(At("2026-11-28T02:00Z"), await lastYear.RunDueAsync(Ct));
        _rig.SetTime("2026-12-31T02:00Z");
        Assert.Null(await lastYear.RunDueAsync(Ct));
        _rig.SetTime("2027-06-01T02:00Z");
        Assert.Null(await lastYear.RunDueAsync(Ct));

        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
        Assert.Null((await _rig.StateAsync())!.NextDue);
    }

    [Fact]
    public async Task A_missing_state_machine_is_recorded_on_the_rule_and_the_schedule_moves_on()
    {
        var runner = _rig.Runner(Rule(Daily, target: "no-such-machine"));
        await runner.RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");

        Assert.Equal(At("2026-11-29T02:00Z"), await runner.RunDueAsync(Ct));

        var state = (await _rig.StateAsync())!;
        Assert.Contains("no-such-machine", state.LastError, StringComparison.Ordinal);
        Assert.Equal(At("2026-11-28T02:00Z"), state.LastOccurrence);
        Assert.Null(state.LastExecutionArn);
        Assert.Null(state.Claim);
    }

    [Fact]
    public async Task A_start_that_fails_keeps_the_occurrence_and_starts_it_on_the_next_pass()
    {
        var engine = new FailingStartEngine(_rig.Engine());
        var runner = _rig.Runner(_rig.Book(Rule(Daily)), engine);
        await runner.RunDueAsync(Ct);
        _rig.SetTime("2026-11-28T02:00Z");
        engine.FailuresLeft = 1;

        Assert.Equal(At("2026-11-28T02:00:30Z"), await runner.RunDueAsync(Ct));
        Assert.Empty(await _rig.ExecutionNamesAsync());
        Assert.Equal(At("2026-11-28T02:00Z"), (await _rig.StateAsync())!.Claim?.Occurrence);

        _rig.SetTime("2026-11-28T02:00:30Z");
        Assert.Equal(At("2026-11-29T02:00Z"), await runner.RunDueAsync(Ct));
        Assert.Equal(["nightly-run-20261128T0200Z"], await _rig.ExecutionNamesAsync());
    }

    private async Task ClaimAsCrashedInstanceAsync(DateTimeOffset occurrence)
    {
        var state = (await _rig.StateAsync())!;
        await _rig.PutStateAsync(state with
        {
            Claim = new ScheduleClaim(occurrence, _rig.Clock.GetUtcNow(), "crashed-instance"),
            NextDue = occurrence.AddDays(1),
        });
    }
}
