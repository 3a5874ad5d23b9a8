using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Loading a definition: what is checked before anything runs, and how Task states name their handlers.</summary>
public sealed class DefinitionTests : WorkflowTestBase
{
    private const string Invoke = "\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\"";

    public DefinitionTests() => Handle("Echo", payload => payload);

    [Theory]
    [InlineData("""{ "StartAt": "Nowhere", "States": { "A": { "Type": "Succeed" } } }""", "$.StartAt: 'Nowhere' is not a state")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "Nowhere" } } }""", "$.States.A: moves to 'Nowhere'")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass" } } }""", "needs either Next or \"End\": true")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "A", "End": true } } }""", "needs either Next or \"End\": true")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Parallel", "Branches": [], "End": true } } }""", "'Parallel' is not a state type the local executor supports")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:lambda:eu-west-2:123456789012:function:Echo", "End": true } } }""", "must be 'arn:aws:states:::lambda:invoke'")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Missing" }, "End": true } } }""", "'Missing' names no registered task handler")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName.$": "$.fn" }, "End": true } } }""", "FunctionName.$: is not supported")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Echo" }, "HeartbeatSeconds": 5, "End": true } } }""", "HeartbeatSeconds: is not supported by the local executor")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Echo" }, "Retry": [ { "ErrorEquals": ["States.ALL", "X"] } ], "End": true } } }""", "States.ALL must appear alone")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Echo" }, "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "A" }, { "ErrorEquals": ["X"], "Next": "A" } ], "End": true } } }""", "States.ALL must appear alone")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Echo" }, "Catch": [ { "ErrorEquals": ["X"], "Next": "Gone" } ], "End": true } } }""", "moves to 'Gone'")]
    [InlineData($$"""{ "StartAt": "A", "States": { "A": { {{Invoke}}, "Parameters": { "FunctionName": "Echo" }, "Retry": [ { "ErrorEquals": ["X"], "BackoffRate": 0.5 } ], "End": true } } }""", "BackoffRate: must be a number of at least 1.0")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "InputPath": "$.items[*]", "End": true } } }""", "is not a supported reference path")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "ResultPath": "$$.Execution", "End": true } } }""", "cannot begin with '$$'")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Parameters": { "h.$": "States.Hash($.x, 'SHA-1')" }, "End": true } } }""", "'States.Hash' is not a supported function")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Wait", "Seconds": 5, "Timestamp": "2025-01-01T00:00:00Z", "End": true } } }""", "exactly one of Seconds")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Wait", "Timestamp": "tomorrow", "End": true } } }""", "must be an RFC 3339 timestamp")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "StringEquals": "a" } ] } } }""", "Next is required")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "A" } ] } } }""", "needs exactly one operator")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "NumericEquals": "1", "Next": "A" } ] } } }""", "does not fit a Numeric comparison")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "StartAt": "B", "States": { "B": { "Type": "Pass", "Next": "A" } } }, "End": true } } }""", "moves to 'A', which is not a state of this scope")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }, "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }, "End": true } } }""", "INLINE")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }, "End": true } } }""", "unique in the whole state machine")]
    [InlineData("""{ "QueryLanguage": "JSONata", "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }""", "QueryLanguage: is not supported")]
    [InlineData("""{ "StartAt": "A", "States": { "A": { "Type": "Succeed", "Colour": "red" } } }""", "Colour: is not a field of this state")]
    [InlineData("{ not json", "not valid JSON")]
    public void A_definition_the_executor_cannot_run_exactly_as_Step_Functions_would_is_refused_on_load(string definition, string problem)
    {
        var refused = Assert.Throws<WorkflowDefinitionException>(() => Open((Machine, definition)));

        Assert.Equal(Machine, refused.StateMachineName);
        Assert.Contains(refused.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_a_definition_is_reported_at_once()
    {
        var refused = Assert.Throws<WorkflowDefinitionException>(() => Open((Machine, """
            { "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "Nowhere" }, "B": { "Type": "Wait", "End": true }, "C": { "Type": "Fail", "Error": 1 } } }
            """)));

        Assert.Equal(3, refused.Problems.Count);
    }

    [Fact]
    public async Task A_Lambda_FunctionName_may_be_a_substitution_a_plain_name_or_a_function_ARN()
    {
        var calls = 0;
        Handle("Echo", payload =>
        {
            Interlocked.Increment(ref calls);
            return payload;
        });

        var execution = await RunAsync($$"""
            {
              "StartAt": "Substituted",
              "States": {
                "Substituted": { {{Invoke}}, "Parameters": { "FunctionName": "${Echo}", "Payload.$": "$" }, "OutputPath": "$.Payload", "Next": "Plain" },
                "Plain": { {{Invoke}}, "Parameters": { "FunctionName": "Echo", "Payload.$": "$" }, "OutputPath": "$.Payload", "Next": "Arn" },
                "Arn": { {{Invoke}}, "Parameters": { "FunctionName": "arn:aws:lambda:eu-west-2:123456789012:function:Echo:live", "Payload.$": "$" }, "OutputPath": "$.Payload", "End": true }
              }
            }
            """, """{ "kept": true }""");

        Assert.Equal(3, calls);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "kept": true }"""), Parse(execution.Output)));
    }

    [Fact]
    public void Two_handlers_with_one_name_are_refused()
    {
        var handlers = new[] { WorkflowTask.Create("Echo", (p, _) => Task.FromResult(p)), WorkflowTask.Create("Echo", (p, _) => Task.FromResult(p)) };

        Assert.Throws<ArgumentException>(() => new LocalWorkflowEngine(new Dictionary<string, string>(), handlers, DatabasePath, Clock, NullLogger<LocalWorkflowEngine>.Instance));
    }
}
