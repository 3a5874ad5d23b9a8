using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Map (inline): ItemsPath, ItemSelector, MaxConcurrency, ordered results, failures and their isolation.</summary>
public sealed class MapTests : WorkflowTestBase
{
    /// <summary>
    /// A Map over $.items calling Square on each: <paramref name="map"/> adds fields to the Map,
    /// <paramref name="inner"/> to its task; the last two add states to the iteration and to the machine.
    /// </summary>
    private static string Mapping(string map = "", string inner = "\"OutputPath\": \"$.Payload\",", string iterationStates = "", string states = "") => $$"""
        {
          "StartAt": "Each",
          "States": {
            "Each": {
              "Type": "Map",
              "ItemsPath": "$.items",
              {{map}}
              "ItemProcessor": {
                "StartAt": "Square",
                "States": {
                  "Square": { {{TaskState("Square", inner + " \"End\": true")}} }{{iterationStates}}
                }
              },
              "End": true
            }{{states}}
          }
        }
        """;

    private static int Value(JsonNode? payload) => payload!.GetValue<int>();

    [Fact]
    public async Task Results_come_back_in_item_order_whatever_order_the_iterations_finish_in()
    {
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource()).ToArray();
        var started = Channel.CreateUnbounded<int>();
        Handle("Square", async (payload, _) =>
        {
            var n = Value(payload);
            started.Writer.TryWrite(n);
            await gates[n].Task;
            return n * n;
        });

        var arn = await StartAsync(Mapping(), """{ "items": [0, 1, 2, 3] }""");
        for (var i = 0; i < 4; i++)
        {
            await started.Reader.ReadAsync(Ct);
        }

        foreach (var gate in gates.Reverse())
        {
            gate.SetResult();
        }

        AssertJson("[0, 1, 4, 9]", (await EndOfAsync(arn)).Output);
    }

    [Fact]
    public async Task MaxConcurrency_caps_the_iterations_running_at_once_and_each_freed_slot_starts_the_next_item()
    {
        var (inFlight, most) = (0, 0);
        var started = Channel.CreateUnbounded<int>();
        var release = Channel.CreateUnbounded<bool>();
        Handle("Square", async (payload, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            started.Writer.TryWrite(Value(payload));
            await release.Reader.ReadAsync(CancellationToken.None);
            Interlocked.Decrement(ref inFlight);
            return payload;
        });

        var arn = await StartAsync(Mapping(map: "\"MaxConcurrency\": 3,"), """{ "items": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }""");
        var order = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await started.Reader.ReadAsync(Ct));
        }

        for (var i = 3; i < 10; i++)
        {
            release.Writer.TryWrite(true);
            order.Add(await started.Reader.ReadAsync(Ct));
        }

        for (var i = 0; i < 3; i++)
        {
            release.Writer.TryWrite(true);
        }

        var execution = await EndOfAsync(arn);

        Assert.Equal(3, most);
        Assert.Equal([0, 1, 2], order.Take(3).Order());
        Assert.Equal(Enumerable.Range(3, 7), order.Skip(3));
        AssertJson("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", execution.Output);
    }

    [Fact]
    public async Task ItemSelector_builds_each_input_from_the_item_its_index_and_the_Map_input()
    {
        var execution = await RunAsync("""
            {
              "StartAt": "Validate-All",
              "States": {
                "Validate-All": {
                  "Type": "Map",
                  "InputPath": "$.detail",
                  "ItemsPath": "$.shipped",
                  "MaxConcurrency": 0,
                  "ItemSelector": { "parcel.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "courier.$": "$.delivery-partner" },
                  "ItemProcessor": { "ProcessorConfig": { "Mode": "INLINE" }, "StartAt": "Validate", "States": { "Validate": { "Type": "Pass", "End": true } } },
                  "ResultPath": "$.detail.shipped",
                  "End": true
                }
              }
            }
            """, """{ "detail": { "delivery-partner": "UQS", "shipped": [ { "prod": "R31" }, { "prod": "S39" } ] } }""");

        AssertJson("""
            {
              "detail": {
                "delivery-partner": "UQS",
                "shipped": [
                  { "parcel": { "prod": "R31" }, "index": 0, "courier": "UQS" },
                  { "parcel": { "prod": "S39" }, "index": 1, "courier": "UQS" }
                ]
              }
            }
            """, execution.Output);
    }

    [Fact]
    public async Task A_failing_iteration_fails_the_Map_with_its_error_which_the_Map_can_catch()
    {
        Handle("Square", payload => Value(payload) == 2 ? throw new WorkflowTaskException("Bad", "item two") : payload);

        var arn = await StartAsync(Mapping(
            map: """ "MaxConcurrency": 1, "ResultPath": "$.squares", "Catch": [ { "ErrorEquals": ["Bad"], "ResultPath": "$.error", "Next": "Recovered" } ], """,
            states: """, "Recovered": { "Type": "Pass", "End": true }"""), """{ "items": [1, 2, 3] }""");
        var execution = await EndOfAsync(arn);

        AssertJson("""{ "items": [1, 2, 3], "error": { "Error": "Bad", "Cause": "item two" } }""", execution.Output);
        var history = await HistoryAsync(arn);
        Assert.Equal(1, Assert.Single(history, e => e.Type == HistoryEventType.MapIterationFailed).IterationIndex);
        Assert.Contains(history, e => e.Type == HistoryEventType.MapStateFailed && e.Error == "Bad");
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.MapIterationStarted && e.IterationIndex == 2);
    }

    [Fact]
    public async Task A_Catch_inside_the_iteration_keeps_one_failing_item_from_stopping_the_others()
    {
        Handle("Square", payload => Value(payload) == 2 ? throw new WorkflowTaskException("Bad", "item two") : Value(payload) * 10);

        var execution = await RunAsync(Mapping(
            inner: """ "OutputPath": "$.Payload", "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Skipped" } ], """,
            iterationStates: """, "Skipped": { "Type": "Pass", "Result": "skipped", "End": true }"""), """{ "items": [1, 2, 3] }""");

        AssertJson("""[10, "skipped", 30]""", execution.Output);
    }

    [Fact]
    public async Task Iterations_still_running_when_another_fails_are_aborted()
    {
        var cancelled = new TaskCompletionSource();
        var slowStarted = new TaskCompletionSource();
        Handle("Square", async (payload, token) =>
        {
            if (Value(payload) == 0)
            {
                slowStarted.SetResult();
                await using (token.Register(() => cancelled.TrySetResult()))
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
            }

            await slowStarted.Task;
            throw new WorkflowTaskException("Bad", "fast one failed");
        });

        var arn = await StartAsync(Mapping(), """{ "items": [0, 1] }""");
        var execution = await EndOfAsync(arn);

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((ExecutionStatus.Failed, "Bad"), (execution.Status, execution.Error));
        var history = await HistoryAsync(arn);
        Assert.Equal(0, Assert.Single(history, e => e.Type == HistoryEventType.MapIterationAborted).IterationIndex);
    }

    [Fact]
    public async Task A_Map_Retry_runs_every_iteration_again()
    {
        var calls = new ConcurrentQueue<int>();
        Handle("Square", payload =>
        {
            calls.Enqueue(Value(payload));
            return Value(payload) == 1 && calls.Count(c => c == 1) == 1 ? throw new WorkflowTaskException("Flaky", "once") : payload;
        });

        var arn = await StartAsync(Mapping(map: """ "MaxConcurrency": 1, "Retry": [ { "ErrorEquals": ["Flaky"] } ], """), """{ "items": [0, 1, 2] }""");
        await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal([0, 1, 0, 1, 2], calls);
        AssertJson("[0, 1, 2]", execution.Output);
    }

    [Fact]
    public async Task An_empty_array_gives_an_empty_result()
    {
        Handle("Square", payload => payload);

        var execution = await RunAsync(Mapping(), """{ "items": [] }""");

        AssertJson("[]", execution.Output);
    }

    [Fact]
    public async Task An_ItemsPath_that_does_not_select_an_array_fails_with_States_Runtime()
    {
        Handle("Square", payload => payload);

        var execution = await RunAsync(Mapping(), """{ "items": { "not": "an array" } }""");

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.Runtime), (execution.Status, execution.Error));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
