using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>The port itself: StartExecution (idempotent by name), DescribeExecution, GetExecutionHistory, ListExecutions, StopExecution, TimeoutSeconds.</summary>
public sealed class ExecutionApiTests : WorkflowTestBase
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly string Blocking = $$"""
        { "StartAt": "Work", "States": { "Work": { {{TaskState("Work", "\"OutputPath\": \"$.Payload\", \"End\": true")}} } } }
        """;

    public ExecutionApiTests() =>
        Handle("Work", async (payload, _) =>
        {
            await _release.Task;
            return new JsonObject { ["done"] = payload?.DeepClone() };
        });

    [Fact]
    public async Task Starting_returns_at_once_and_the_execution_runs_in_the_background_to_its_output()
    {
        Open((Machine, Blocking));
        var startedAt = Clock.GetUtcNow();

        var started = await Engine.StartExecutionAsync(Machine, """{ "city": "York" }""", "run-1", Ct);
        var running = await Engine.DescribeExecutionAsync(started.ExecutionArn, Ct);
        Clock.Advance(TimeSpan.FromSeconds(3));
        _release.SetResult();
        var done = await EndOfAsync(started.ExecutionArn);

        Assert.Equal("arn:aws:states:local:000000000000:execution:test:run-1", started.ExecutionArn);
        Assert.Equal(new ExecutionDescription(started.ExecutionArn, Machine, "run-1", ExecutionStatus.Running, """{"city":"York"}""", null, null, null, startedAt, null), running);
        Assert.Equal((ExecutionStatus.Succeeded, startedAt + TimeSpan.FromSeconds(3)), (done.Status, done.StopDate));
        AssertJson("""{ "done": { "city": "York" } }""", done.Output);
    }

    [Fact]
    public async Task Starting_again_by_name_returns_the_running_execution_but_not_one_with_other_input_or_that_stopped()
    {
        Open((Machine, Blocking));

        var first = await Engine.StartExecutionAsync(Machine, """{ "a": 1 }""", "daily-2025-03-01", Ct);
        var again = await Engine.StartExecutionAsync(Machine, """{"a":1}""", "daily-2025-03-01", Ct);
        await Assert.ThrowsAsync<ExecutionAlreadyExistsException>(() => Engine.StartExecutionAsync(Machine, """{ "a": 2 }""", "daily-2025-03-01", Ct));
        _release.SetResult();
        await EndOfAsync(first.ExecutionArn);

        Assert.Equal(first, again);
        await Assert.ThrowsAsync<ExecutionAlreadyExistsException>(() => Engine.StartExecutionAsync(Machine, """{ "a": 1 }""", "daily-2025-03-01", Ct));
        var all = await Engine.ListExecutionsAsync(Machine, cancellationToken: Ct);
        Assert.Single(all.Executions);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("colon:name")]
    [InlineData("")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890123456789012345678901")]
    public async Task Names_Step_Functions_refuses_are_refused(string name)
    {
        Open((Machine, Blocking));

        await Assert.ThrowsAsync<ArgumentException>(() => Engine.StartExecutionAsync(Machine, "{}", name, Ct));
    }

    [Fact]
    public async Task Input_that_is_not_JSON_or_too_large_and_unknown_machines_and_executions_are_refused()
    {
        Open((Machine, Blocking));
        var unknownArn = "arn:aws:states:local:000000000000:execution:test:nope";

        await Assert.ThrowsAsync<ArgumentException>(() => Engine.StartExecutionAsync(Machine, "{ not json", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Engine.StartExecutionAsync(Machine, $"\"{new string('x', 300 * 1024)}\"", cancellationToken: Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.StartExecutionAsync("other", "{}", cancellationToken: Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.ListExecutionsAsync("other", cancellationToken: Ct));
        Assert.Null(await Engine.DescribeExecutionAsync(unknownArn, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.GetExecutionHistoryAsync(unknownArn, cancellationToken: Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.StopExecutionAsync(unknownArn, cancellationToken: Ct));
    }

    [Fact]
    public async Task History_pages_forwards_and_backwards_with_ids_chained_to_their_predecessors()
    {
        _release.SetResult();
        var arn = await StartAsync(Blocking);
        await EndOfAsync(arn);
        var all = await HistoryAsync(arn);

        var firstPage = await Engine.GetExecutionHistoryAsync(arn, 2, cancellationToken: Ct);
        var secondPage = await Engine.GetExecutionHistoryAsync(arn, 2, firstPage.NextToken, cancellationToken: Ct);
        var newest = await Engine.GetExecutionHistoryAsync(arn, 3, reverseOrder: true, cancellationToken: Ct);

        Assert.Equal(
            [HistoryEventType.ExecutionStarted, HistoryEventType.TaskStateEntered, HistoryEventType.TaskScheduled, HistoryEventType.TaskStarted,
             HistoryEventType.TaskSucceeded, HistoryEventType.TaskStateExited, HistoryEventType.ExecutionSucceeded],
            all.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(0, all.Count).Select(i => (long)i), all.Select(e => e.PreviousEventId));
        Assert.Equal(all.Take(4), firstPage.Events.Concat(secondPage.Events));
        Assert.Equal(all.Reverse().Take(3), newest.Events);
        Assert.All(all.Where(e => e.Type != HistoryEventType.ExecutionStarted && e.Type != HistoryEventType.ExecutionSucceeded), e => Assert.Equal("Work", e.StateName));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Engine.GetExecutionHistoryAsync(arn, 0, cancellationToken: Ct));
    }

    [Fact]
    public async Task Executions_are_listed_newest_first_in_pages_and_by_status()
    {
        _release.SetResult();
        Open((Machine, Blocking), ("failing", """{ "StartAt": "F", "States": { "F": { "Type": "Fail", "Error": "E" } } }"""));
        var arns = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            arns.Add((await Engine.StartExecutionAsync(Machine, "{}", $"run-{i}", Ct)).ExecutionArn);
            await EndOfAsync(arns[^1]);
        }

        var failed = (await Engine.StartExecutionAsync("failing", cancellationToken: Ct)).ExecutionArn;
        await EndOfAsync(failed);

        var page1 = await Engine.ListExecutionsAsync(Machine, maxResults: 2, cancellationToken: Ct);
        var page2 = await Engine.ListExecutionsAsync(Machine, maxResults: 2, nextToken: page1.NextToken, cancellationToken: Ct);
        var page3 = await Engine.ListExecutionsAsync(Machine, maxResults: 2, nextToken: page2.NextToken, cancellationToken: Ct);

        Assert.Equal(Enumerable.Reverse(arns), page1.Executions.Concat(page2.Executions).Concat(page3.Executions).Select(e => e.ExecutionArn));
        Assert.Null(page3.NextToken);
        Assert.Empty((await Engine.ListExecutionsAsync(Machine, ExecutionStatus.Failed, cancellationToken: Ct)).Executions);
        Assert.Equal(failed, Assert.Single((await Engine.ListExecutionsAsync("failing", ExecutionStatus.Failed, cancellationToken: Ct)).Executions).ExecutionArn);
    }

    [Fact]
    public async Task Stopping_aborts_a_running_execution_and_the_task_it_was_in()
    {
        var cancelled = new TaskCompletionSource();
        Handle("Work", async (_, token) =>
        {
            await using (token.Register(() => cancelled.TrySetResult()))
            {
                await _release.Task;
            }

            return new JsonObject();
        });
        var arn = await StartAsync(Blocking);
        await EventAsync(arn, e => e.Type == HistoryEventType.TaskStarted);

        var stopped = await Engine.StopExecutionAsync(arn, "Operator", "stopped from admin", Ct);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        _release.SetResult();
        var again = await Engine.StopExecutionAsync(arn, cancellationToken: Ct);

        Assert.True(stopped);
        Assert.False(again);
        var execution = await Engine.DescribeExecutionAsync(arn, Ct);
        Assert.Equal((ExecutionStatus.Aborted, "Operator", "stopped from admin"), (execution!.Status, execution.Error, execution.Cause));
        var last = (await HistoryAsync(arn))[^1];
        Assert.Equal(HistoryEventType.ExecutionAborted, last.Type);
    }

    [Fact]
    public async Task An_execution_past_the_machine_TimeoutSeconds_times_out()
    {
        var arn = await StartAsync("""
            { "TimeoutSeconds": 60, "StartAt": "Long", "States": { "Long": { "Type": "Wait", "Seconds": 3600, "End": true } } }
            """);
        var timers = new[] { await Clock.NextTimerAsync(), await Clock.NextTimerAsync() };
        Clock.Advance(TimeSpan.FromSeconds(60));
        var execution = await EndOfAsync(arn);

        Assert.Equal([60, 3600], timers.Select(t => t.TotalSeconds).Order());
        Assert.Equal((ExecutionStatus.TimedOut, WorkflowErrors.Timeout), (execution.Status, execution.Error));
        Assert.Equal(HistoryEventType.ExecutionTimedOut, (await HistoryAsync(arn))[^1].Type);
    }
}
