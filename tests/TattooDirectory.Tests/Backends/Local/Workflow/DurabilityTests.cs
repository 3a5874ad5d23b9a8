using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>
/// Executions outlive the engine: it is shut down in the middle of a Task, a Wait, a retry back-off
/// and a Map, a new engine opens the same file and resumes, and each execution ends as if nothing
/// had happened (a task in flight runs again; finished work does not).
/// </summary>
public sealed class DurabilityTests : WorkflowTestBase
{
    /// <summary>A handler that never finishes until cancelled, and says when it has been called.</summary>
    private TaskCompletionSource Hanging(string name)
    {
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Handle(name, async (_, token) =>
        {
            called.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return null;
        });
        return called;
    }

    [Fact]
    public async Task An_execution_killed_in_a_task_runs_that_task_again_after_a_restart_and_finishes()
    {
        var before = 0;
        Handle("Before", _ => new JsonObject { ["before"] = Interlocked.Increment(ref before) });
        var called = Hanging("Slow");
        var arn = await StartAsync($$"""
            {
              "StartAt": "Before",
              "States": {
                "Before": { {{TaskState("Before", "\"ResultSelector\": { \"n.$\": \"$.Payload.before\" }, \"ResultPath\": \"$.first\", \"Next\": \"Slow\"")}} },
                "Slow": { {{TaskState("Slow", "\"ResultSelector\": { \"done.$\": \"$.Payload.done\" }, \"ResultPath\": \"$.second\", \"End\": true")}} }
              }
            }
            """, """{ "runId": "r1" }""");
        await called.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Handle("Slow", payload => new JsonObject { ["done"] = payload!["first"]!["n"]!.DeepClone() });
        var resumed = await RestartAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal((1, 1, ExecutionStatus.Succeeded), (resumed, before, execution.Status));
        AssertJson("""{ "runId": "r1", "first": { "n": 1 }, "second": { "done": 1 } }""", execution.Output);
        var history = await HistoryAsync(arn);
        Assert.Equal(["Before", "Slow", "Slow"], history.Where(e => e.Type == HistoryEventType.TaskScheduled).Select(e => e.StateName));
        var resumedEvent = Assert.Single(history, e => e.Type == HistoryEventType.ExecutionResumed);
        Assert.Equal("Slow", resumedEvent.StateName);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Id));
    }

    [Fact]
    public async Task An_execution_killed_in_a_Wait_waits_only_what_was_left_after_a_restart()
    {
        var startedAt = Clock.GetUtcNow();
        var arn = await StartAsync("""
            { "StartAt": "Pause", "States": { "Pause": { "Type": "Wait", "Seconds": 60, "Next": "Done" }, "Done": { "Type": "Succeed" } } }
            """, """{ "kept": true }""");
        var first = await Clock.NextTimerAsync();
        Clock.Advance(TimeSpan.FromSeconds(20));

        await RestartAsync();
        var rest = await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal((60, 40), (first.TotalSeconds, rest.TotalSeconds));
        AssertJson("""{ "kept": true }""", execution.Output);
        var exited = Assert.Single(await HistoryAsync(arn), e => e.Type == HistoryEventType.WaitStateExited);
        Assert.Equal(startedAt + TimeSpan.FromSeconds(60), exited.Timestamp);
    }

    [Fact]
    public async Task A_retry_back_off_and_the_retry_count_survive_a_restart()
    {
        var calls = 0;
        Handle("Flaky", _ => throw new WorkflowTaskException("Boom", $"call {Interlocked.Increment(ref calls)}"));
        var arn = await StartAsync($$"""
            { "StartAt": "Work", "States": { "Work": { {{TaskState("Flaky", "\"Retry\": [ { \"ErrorEquals\": [\"Boom\"], \"IntervalSeconds\": 10, \"MaxAttempts\": 2 } ], \"End\": true")}} } } }
            """);
        await Clock.ElapseNextTimerAsync();
        await EventAsync(arn, e => e.Type == HistoryEventType.TaskFailed && e.Cause == "call 2");
        var second = await Clock.NextTimerAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));

        await RestartAsync();
        var rest = await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal((20, 15), (second.TotalSeconds, rest.TotalSeconds));
        Assert.Equal((ExecutionStatus.Failed, "call 3"), (execution.Status, execution.Cause));
    }

    [Fact]
    public async Task An_execution_killed_in_a_Map_runs_only_the_unfinished_iterations_after_a_restart()
    {
        var started = Channel.CreateUnbounded<int>();
        Handle("Square", async (payload, token) =>
        {
            var n = payload!.GetValue<int>();
            started.Writer.TryWrite(n);
            if (n >= 3)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return n * n;
        });
        var arn = await StartAsync($$"""
            {
              "StartAt": "Each",
              "States": {
                "Each": {
                  "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.squares",
                  "ItemProcessor": { "StartAt": "Square", "States": { "Square": { {{TaskState("Square", "\"OutputPath\": \"$.Payload\", \"End\": true")}} } } },
                  "End": true
                }
              }
            }
            """, """{ "items": [0, 1, 2, 3, 4, 5] }""");
        var before = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            before.Add(await started.Reader.ReadAsync(Ct));
        }

        var after = new ConcurrentQueue<int>();
        Handle("Square", payload =>
        {
            after.Enqueue(payload!.GetValue<int>());
            return payload.GetValue<int>() * payload.GetValue<int>();
        });
        await RestartAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal([0, 1, 2, 3, 4], before.Order());
        Assert.Equal([3, 4, 5], after.Order());
        AssertJson("""{ "items": [0, 1, 2, 3, 4, 5], "squares": [0, 1, 4, 9, 16, 25] }""", execution.Output);
        var history = await HistoryAsync(arn);
        Assert.Single(history, e => e.Type == HistoryEventType.MapStateStarted);
        Assert.Equal([0, 1, 2, 3, 4, 5], history.Where(e => e.Type == HistoryEventType.MapIterationStarted).Select(e => e.IterationIndex!.Value).Order());
        Assert.Equal(6, history.Count(e => e.Type == HistoryEventType.MapIterationSucceeded));
        Assert.Contains(history, e => e.Type == HistoryEventType.ExecutionResumed && e.StateName == "Each");
    }

    [Fact]
    public async Task Stopped_and_finished_executions_are_not_resumed()
    {
        Handle("Quick", payload => payload);
        Hanging("Slow");
        Open(("quick", $$"""{ "StartAt": "Q", "States": { "Q": { {{TaskState("Quick", "\"End\": true")}} } } }"""),
             ("slow", $$"""{ "StartAt": "S", "States": { "S": { {{TaskState("Slow", "\"End\": true")}} } } }"""));
        var quick = (await Engine.StartExecutionAsync("quick", cancellationToken: Ct)).ExecutionArn;
        var slow = (await Engine.StartExecutionAsync("slow", cancellationToken: Ct)).ExecutionArn;
        await EndOfAsync(quick);
        await EventAsync(slow, e => e.Type == HistoryEventType.TaskStarted);
        await Engine.StopExecutionAsync(slow, cancellationToken: Ct);

        Assert.Equal(0, await RestartAsync());
        Assert.Equal(ExecutionStatus.Succeeded, (await Engine.DescribeExecutionAsync(quick, Ct))!.Status);
        Assert.Equal(ExecutionStatus.Aborted, (await Engine.DescribeExecutionAsync(slow, Ct))!.Status);
    }

    [Fact]
    public async Task The_workflow_file_is_written_ahead_and_synced_on_every_commit()
    {
        Open(("test", """{ "StartAt": "S", "States": { "S": { "Type": "Succeed" } } }"""));
        await Engine.DisposeAsync();

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", command.ExecuteScalar());
    }
}
