using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>InputPath, Parameters, ResultSelector, ResultPath, OutputPath, the Context Object and intrinsic functions.</summary>
public sealed class InputOutputTests : WorkflowTestBase
{
    [Fact]
    public async Task InputPath_Parameters_ResultSelector_ResultPath_and_OutputPath_apply_in_that_order()
    {
        JsonNode? payload = null;
        Handle("Sum", p =>
        {
            payload = p;
            return new JsonObject { ["total"] = p!["values"]!.AsArray().Sum(v => v!.GetValue<int>()) };
        });

        var execution = await RunAsync("""
            {
              "StartAt": "Add",
              "States": {
                "Add": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "InputPath": "$.order",
                  "Parameters": { "FunctionName": "Sum", "Payload": { "values.$": "$.items", "id.$": "$.id", "fixed": 1 } },
                  "ResultSelector": { "total.$": "$.Payload.total", "status.$": "$.StatusCode" },
                  "ResultPath": "$.order.result",
                  "OutputPath": "$.order",
                  "End": true
                }
              }
            }
            """, """{ "order": { "id": 7, "items": [10, 20] }, "note": "dropped by OutputPath" }""");

        AssertJson("""{ "values": [10, 20], "id": 7, "fixed": 1 }""", payload?.ToJsonString());
        AssertJson("""{ "id": 7, "items": [10, 20], "result": { "total": 30, "status": 200 } }""", execution.Output);
    }

    [Fact]
    public async Task A_lambda_invoke_result_wraps_the_handler_result_in_Payload_as_Step_Functions_does()
    {
        Handle("Echo", p => p);

        var execution = await RunAsync($$"""{ "StartAt": "Call", "States": { "Call": { {{TaskState("Echo", "\"End\": true")}} } } }""", """{ "a": 1 }""");

        AssertJson("""{ "ExecutedVersion": "$LATEST", "Payload": { "a": 1 }, "StatusCode": 200 }""", execution.Output);
    }

    [Fact]
    public async Task Null_paths_give_the_state_an_empty_input_discard_its_result_or_empty_its_output()
    {
        JsonNode? payload = null;
        Handle("Echo", p =>
        {
            payload = p;
            return new JsonObject { ["discarded"] = true };
        });

        var arn = await StartAsync($$"""
            {
              "StartAt": "Call",
              "States": {
                "Call": { {{TaskState("Echo", "\"InputPath\": null, \"ResultPath\": null, \"Next\": \"Empty\"")}} },
                "Empty": { "Type": "Pass", "OutputPath": null, "End": true }
              }
            }
            """, """{ "kept": 1 }""");
        var execution = await EndOfAsync(arn);

        AssertJson("{}", payload?.ToJsonString());
        AssertJson("""{ "kept": 1 }""", (await HistoryAsync(arn)).Single(e => e.Type == HistoryEventType.TaskStateExited).Output);
        AssertJson("{}", execution.Output);
    }

    [Fact]
    public async Task ResultPath_creates_missing_objects_and_replaces_what_is_already_there()
    {
        var execution = await RunAsync("""
            {
              "StartAt": "Sum",
              "States": {
                "Sum": { "Type": "Pass", "Result": 6, "ResultPath": "$.master.result.sum", "Next": "Detail" },
                "Detail": { "Type": "Pass", "Result": "replaced", "ResultPath": "$.master.detail", "Next": "Element" },
                "Element": { "Type": "Pass", "Result": "second", "ResultPath": "$.list[1]", "Next": "Bracketed" },
                "Bracketed": { "Type": "Pass", "Result": true, "ResultPath": "$['odd key']", "End": true }
              }
            }
            """, """{ "master": { "detail": [1, 2, 3] }, "list": ["a", "b"] }""");

        AssertJson("""
            { "master": { "detail": "replaced", "result": { "sum": 6 } }, "list": ["a", "second"], "odd key": true }
            """, execution.Output);
    }

    [Fact]
    public async Task A_ResultPath_that_cannot_apply_fails_with_States_ResultPathMatchFailure()
    {
        var execution = await RunAsync("""
            { "StartAt": "Place", "States": { "Place": { "Type": "Pass", "Result": 1, "ResultPath": "$.x.y", "End": true } } }
            """, """{ "x": "a string, not an object" }""");

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.ResultPathMatchFailure), (execution.Status, execution.Error));
    }

    [Fact]
    public async Task The_context_object_gives_the_execution_the_state_machine_and_the_state()
    {
        var payloads = new List<JsonNode?>();
        Handle("Look", p =>
        {
            payloads.Add(p);
            return payloads.Count == 1 ? throw new WorkflowTaskException("Flaky", "first call") : null;
        });

        var arn = await StartAsync("""
            {
              "StartAt": "Look",
              "States": {
                "Look": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {
                    "FunctionName": "Look",
                    "Payload": {
                      "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input",
                      "start.$": "$$.Execution.StartTime", "machine.$": "$$.StateMachine.Name",
                      "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime", "retries.$": "$$.State.RetryCount"
                    }
                  },
                  "Retry": [ { "ErrorEquals": ["Flaky"] } ],
                  "End": true
                }
              }
            }
            """, """{ "city": "Leeds" }""");
        var startedAt = Clock.GetUtcNow();
        await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var first = payloads[0]!;
        Assert.Equal(arn, first["id"]!.GetValue<string>());
        Assert.EndsWith(":" + first["name"]!.GetValue<string>(), arn, StringComparison.Ordinal);
        AssertJson("""{ "city": "Leeds" }""", first["input"]!.ToJsonString());
        Assert.Equal(startedAt, DateTimeOffset.Parse(first["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((Machine, "Look"), (first["machine"]!.GetValue<string>(), first["state"]!.GetValue<string>()));
        Assert.Equal([0, 1], payloads.Select(p => p!["retries"]!.GetValue<int>()));
        Assert.Equal(first["entered"]!.GetValue<string>(), payloads[1]!["entered"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Parameters_path_missing_from_the_input_fails_the_execution_with_States_Runtime_past_a_catch_all()
    {
        var called = false;
        Handle("Echo", p =>
        {
            called = true;
            return p;
        });

        var execution = await RunAsync("""
            {
              "StartAt": "Call",
              "States": {
                "Call": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": { "FunctionName": "Echo", "Payload": { "x.$": "$.missing" } },
                  "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Caught" } ],
                  "End": true
                },
                "Caught": { "Type": "Succeed" }
              }
            }
            """);

        Assert.False(called);
        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.Runtime), (execution.Status, execution.Error));
        Assert.Contains("$.missing", execution.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payload_templates_process_nested_objects_and_copy_arrays_as_they_are()
    {
        var execution = await RunAsync("""
            {
              "StartAt": "Shape",
              "States": {
                "Shape": {
                  "Type": "Pass",
                  "Parameters": { "a": { "b.$": "$.x", "c": "literal" }, "list": [ { "d.$": "$.x" } ], "whole.$": "$" },
                  "End": true
                }
              }
            }
            """, """{ "x": 1 }""");

        AssertJson("""{ "a": { "b": 1, "c": "literal" }, "list": [ { "d.$": "$.x" } ], "whole": { "x": 1 } }""", execution.Output);
    }

    [Fact]
    public async Task Intrinsic_functions_format_parse_serialise_build_and_count()
    {
        var execution = await RunAsync("""
            {
              "StartAt": "Compute",
              "States": {
                "Compute": {
                  "Type": "Pass",
                  "Parameters": {
                    "greeting.$": "States.Format('Hello {}, \\{not a slot\\} it\\'s {}', $.name, $.n)",
                    "parsed.$": "States.StringToJson($.json)",
                    "text.$": "States.JsonToString($.obj)",
                    "array.$": "States.Array('a', 1, $.n, null)",
                    "length.$": "States.ArrayLength($.list)",
                    "item.$": "States.ArrayGetItem($.list, 1)",
                    "has.$": "States.ArrayContains($.list, 3)",
                    "sum.$": "States.MathAdd($.n, -2)",
                    "nested.$": "States.ArrayLength(States.Array(1, 2))"
                  },
                  "End": true
                }
              }
            }
            """, """{ "name": "Ann", "n": 3, "json": "{\"k\": [1]}", "obj": { "k": true }, "list": [1, 2, 3] }""");

        AssertJson("""
            {
              "greeting": "Hello Ann, {not a slot} it's 3", "parsed": { "k": [1] }, "text": "{\"k\":true}",
              "array": ["a", 1, 3, null], "length": 3, "item": 2, "has": true, "sum": 1, "nested": 2
            }
            """, execution.Output);
    }

    [Fact]
    public async Task An_intrinsic_function_that_cannot_apply_fails_with_States_IntrinsicFailure()
    {
        var execution = await RunAsync("""
            { "StartAt": "Add", "States": { "Add": { "Type": "Pass", "Parameters": { "sum.$": "States.MathAdd($.n, 1)" }, "End": true } } }
            """, """{ "n": "three" }""");

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.IntrinsicFailure), (execution.Status, execution.Error));
    }

    [Fact]
    public async Task A_state_output_over_256_KiB_fails_with_States_DataLimitExceeded_which_nothing_catches()
    {
        Handle("Big", _ => new JsonObject { ["blob"] = new string('x', 300 * 1024) });

        var execution = await RunAsync($$"""
            {
              "StartAt": "Call",
              "States": {
                "Call": { {{TaskState("Big", "\"Catch\": [ { \"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Caught\" } ], \"End\": true")}} },
                "Caught": { "Type": "Succeed" }
              }
            }
            """);

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.DataLimitExceeded), (execution.Status, execution.Error));
    }
}
