using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Retriers: ErrorEquals, IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds, JitterStrategy, and the error names they match.</summary>
public sealed class RetryTests : WorkflowTestBase
{
    private int _calls;

    private static string OneTask(string more) => $$"""{ "StartAt": "Work", "States": { "Work": { {{TaskState("Work", more)}} } } }""";

    /// <summary>The handler throws the next error of <paramref name="errors"/> on each call (null: succeeds), then succeeds.</summary>
    private void Failing(params string?[] errors) =>
        Handle("Work", _ =>
        {
            var call = Interlocked.Increment(ref _calls) - 1;
            return call < errors.Length && errors[call] is { } error ? throw new WorkflowTaskException(error, $"call {call + 1}") : new JsonObject { ["call"] = call + 1 };
        });

    /// <summary>Lets every back-off pass as the engine sets it, until the execution ends; returns the waits.</summary>
    private async Task<(ExecutionDescription Execution, List<TimeSpan> Waits)> RunWithRetriesAsync(string arn, int retries)
    {
        var waits = new List<TimeSpan>();
        for (var i = 0; i < retries; i++)
        {
            waits.Add(await Clock.ElapseNextTimerAsync());
        }

        return (await EndOfAsync(arn), waits);
    }

    [Fact]
    public async Task Retries_wait_IntervalSeconds_growing_by_BackoffRate_and_stop_after_MaxAttempts()
    {
        Failing("Boom", "Boom", "Boom", "Boom", "Boom");
        var startedAt = Clock.GetUtcNow();

        var arn = await StartAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3 } ], "End": true
            """));
        var (execution, waits) = await RunWithRetriesAsync(arn, 3);

        Assert.Equal([2, 6, 18], waits.Select(w => w.TotalSeconds));
        Assert.Equal((ExecutionStatus.Failed, "Boom", "call 4"), (execution.Status, execution.Error, execution.Cause));
        var scheduled = (await HistoryAsync(arn)).Where(e => e.Type == HistoryEventType.TaskScheduled).Select(e => (e.Timestamp - startedAt).TotalSeconds);
        Assert.Equal([0, 2, 8, 26], scheduled);
    }

    [Fact]
    public async Task MaxDelaySeconds_caps_the_growing_wait()
    {
        Failing("Boom", "Boom", "Boom", "Boom");

        var arn = await StartAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["Boom"], "IntervalSeconds": 1, "BackoffRate": 10, "MaxAttempts": 4, "MaxDelaySeconds": 30 } ], "End": true
            """));
        var (execution, waits) = await RunWithRetriesAsync(arn, 4);

        Assert.Equal([1, 10, 30, 30], waits.Select(w => w.TotalSeconds));
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    [Fact]
    public async Task A_task_that_succeeds_on_a_retry_moves_on_with_that_result_after_the_default_waits()
    {
        Failing("Boom", "Boom");

        var arn = await StartAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["Boom"] } ], "OutputPath": "$.Payload", "End": true
            """));
        var (execution, waits) = await RunWithRetriesAsync(arn, 2);

        Assert.Equal([1, 2], waits.Select(w => w.TotalSeconds));
        AssertJson("""{ "call": 3 }""", execution.Output);
    }

    [Fact]
    public async Task Each_Retrier_counts_its_own_attempts_and_an_exhausted_one_hands_over_to_Catch()
    {
        // The States Language's own example: ErrorA, ErrorB, ErrorC, ErrorB.
        Failing("ErrorA", "ErrorB", "ErrorC", "ErrorB");

        var arn = await StartAsync("""
            {
              "StartAt": "Work",
              "States": {
                "Work": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": { "FunctionName": "Work" },
                  "Retry": [
                    { "ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 2 },
                    { "ErrorEquals": ["ErrorC"], "IntervalSeconds": 5 }
                  ],
                  "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Z" } ],
                  "End": true
                },
                "Z": { "Type": "Succeed" }
              }
            }
            """);
        var (execution, waits) = await RunWithRetriesAsync(arn, 3);

        Assert.Equal([1, 2, 5], waits.Select(w => w.TotalSeconds));
        Assert.Equal(4, _calls);
        AssertJson("""{ "Error": "ErrorB", "Cause": "call 4" }""", execution.Output);
    }

    [Fact]
    public async Task Only_the_first_matching_Retrier_applies_so_MaxAttempts_zero_means_never_retried()
    {
        Failing("Boom");

        var execution = await RunAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["Boom"], "MaxAttempts": 0 }, { "ErrorEquals": ["States.ALL"] } ], "End": true
            """));

        Assert.Equal((ExecutionStatus.Failed, "Boom", 1), (execution.Status, execution.Error, _calls));
    }

    [Fact]
    public async Task Retry_counts_start_again_when_the_state_is_entered_again()
    {
        Failing("Boom", null, "Boom", null);

        var arn = await StartAsync($$"""
            {
              "StartAt": "Work",
              "States": {
                "Work": { {{TaskState("Work", "\"Retry\": [ { \"ErrorEquals\": [\"Boom\"], \"MaxAttempts\": 1 } ], \"ResultPath\": null, \"Next\": \"Count\"")}} },
                "Count": { "Type": "Pass", "Parameters": { "n.$": "States.MathAdd($.n, 1)" }, "Next": "Again?" },
                "Again?": { "Type": "Choice", "Choices": [ { "Variable": "$.n", "NumericLessThan": 2, "Next": "Work" } ], "Default": "Done" },
                "Done": { "Type": "Succeed" }
              }
            }
            """, """{ "n": 0 }""");
        var (execution, waits) = await RunWithRetriesAsync(arn, 2);

        Assert.Equal([1, 1], waits.Select(w => w.TotalSeconds));
        Assert.Equal((ExecutionStatus.Succeeded, 4), (execution.Status, _calls));
    }

    [Fact]
    public async Task A_handler_exception_fails_the_task_with_States_TaskFailed_which_a_TaskFailed_Retrier_retries()
    {
        Handle("Work", _ => Interlocked.Increment(ref _calls) == 1 ? throw new InvalidOperationException("socket closed") : new JsonObject());

        var arn = await StartAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["States.TaskFailed"] } ], "End": true
            """));
        var (execution, _) = await RunWithRetriesAsync(arn, 1);

        var failed = Assert.Single(await HistoryAsync(arn), e => e.Type == HistoryEventType.TaskFailed);
        Assert.Equal((WorkflowErrors.TaskFailed, "InvalidOperationException: socket closed", "Work"), (failed.Error, failed.Cause, failed.Resource));
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    [Fact]
    public async Task A_task_past_TimeoutSeconds_fails_with_States_Timeout_which_States_TaskFailed_does_not_match()
    {
        var cancelled = new TaskCompletionSource();
        Handle("Work", async (_, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            return null;
        });

        var work = TaskState("Work", """
            "TimeoutSeconds": 5,
            "Retry": [ { "ErrorEquals": ["States.TaskFailed"] } ],
            "Catch": [ { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "TimedOut" } ],
            "End": true
            """);
        var arn = await StartAsync($$"""
            { "StartAt": "Work", "States": { "Work": { {{work}} }, "TimedOut": { "Type": "Succeed" } } }
            """);
        var (execution, waits) = await RunWithRetriesAsync(arn, 1);

        Assert.Equal([5], waits.Select(w => w.TotalSeconds));
        Assert.Equal(WorkflowErrors.Timeout, Parse(execution.Output)!["timeout"]!["Error"]!.GetValue<string>());
        Assert.Contains(await HistoryAsync(arn), e => e.Type == HistoryEventType.TaskTimedOut);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task FULL_jitter_waits_no_longer_than_the_back_off_interval()
    {
        Failing("Boom");
        var startedAt = Clock.GetUtcNow();

        var arn = await StartAsync(OneTask("""
            "Retry": [ { "ErrorEquals": ["Boom"], "IntervalSeconds": 4, "MaxAttempts": 1, "JitterStrategy": "FULL" } ], "End": true
            """));
        await EventAsync(arn, e => e.Type == HistoryEventType.TaskFailed);
        Clock.Advance(TimeSpan.FromSeconds(4));
        var execution = await EndOfAsync(arn);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var retried = (await HistoryAsync(arn)).Where(e => e.Type == HistoryEventType.TaskScheduled).Last().Timestamp - startedAt;
        Assert.InRange(retried, TimeSpan.Zero, TimeSpan.FromSeconds(4));
    }
}
