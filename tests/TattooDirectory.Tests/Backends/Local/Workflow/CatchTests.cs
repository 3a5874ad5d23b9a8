using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Catchers: routing by error name, the Error Output and where ResultPath puts it, and what cannot be caught.</summary>
public sealed class CatchTests : WorkflowTestBase
{
    private int _calls;

    private void Throwing(string error) =>
        Handle("Work", _ =>
        {
            Interlocked.Increment(ref _calls);
            throw new WorkflowTaskException(error, "it broke");
        });

    private static string Catching(string catchers, string more = "") => $$"""
        {
          "StartAt": "Work",
          "States": {
            "Work": { {{TaskState("Work", $"{more} \"Catch\": {catchers}, \"End\": true")}} },
            "Handled": { "Type": "Pass", "End": true },
            "Wrong": { "Type": "Fail", "Error": "WrongCatcher" }
          }
        }
        """;

    [Fact]
    public async Task The_first_Catcher_naming_the_error_routes_to_its_Next_with_the_Error_Output_as_input()
    {
        Throwing("Boom");

        var execution = await RunAsync(Catching("""
            [
              { "ErrorEquals": ["Other"], "Next": "Wrong" },
              { "ErrorEquals": ["Boom", "Bang"], "Next": "Handled" },
              { "ErrorEquals": ["States.ALL"], "Next": "Wrong" }
            ]
            """));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        AssertJson("""{ "Error": "Boom", "Cause": "it broke" }""", execution.Output);
    }

    [Theory]
    [InlineData("\"$.failure\"", """{ "keep": 1, "failure": { "Error": "Boom", "Cause": "it broke" } }""")]
    [InlineData("\"$.deep.er\"", """{ "keep": 1, "deep": { "er": { "Error": "Boom", "Cause": "it broke" } } }""")]
    [InlineData("null", """{ "keep": 1 }""")]
    [InlineData("\"$\"", """{ "Error": "Boom", "Cause": "it broke" }""")]
    public async Task A_Catcher_ResultPath_places_the_Error_Output_in_the_state_input(string resultPath, string expected)
    {
        Throwing("Boom");

        var execution = await RunAsync(Catching($$"""[ { "ErrorEquals": ["Boom"], "ResultPath": {{resultPath}}, "Next": "Handled" } ]"""), """{ "keep": 1 }""");

        AssertJson(expected, execution.Output);
    }

    [Fact]
    public async Task Retriers_run_before_Catchers()
    {
        Throwing("Boom");

        var arn = await StartAsync(Catching("""[ { "ErrorEquals": ["Boom"], "Next": "Handled" } ]""", """ "Retry": [ { "ErrorEquals": ["Boom"], "MaxAttempts": 1 } ], """));
        await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);

        Assert.Equal((ExecutionStatus.Succeeded, 2), (execution.Status, _calls));
    }

    [Fact]
    public async Task An_error_no_Catcher_names_fails_the_execution_with_its_error_and_cause()
    {
        Throwing("Boom");

        var arn = await StartAsync(Catching("""[ { "ErrorEquals": ["Other"], "Next": "Handled" } ]"""));
        var execution = await EndOfAsync(arn);

        Assert.Equal((ExecutionStatus.Failed, "Boom", "it broke"), (execution.Status, execution.Error, execution.Cause));
        var failed = (await HistoryAsync(arn))[^1];
        Assert.Equal((HistoryEventType.ExecutionFailed, "Boom"), (failed.Type, failed.Error));
        Assert.NotNull(execution.StopDate);
    }

    [Fact]
    public async Task States_ALL_catches_task_errors_but_not_a_States_Runtime_error()
    {
        Handle("Work", _ => new JsonObject { ["no"] = "field" });

        var execution = await RunAsync(Catching("""[ { "ErrorEquals": ["States.ALL"], "Next": "Handled" } ]""", """ "OutputPath": "$.missing", """));

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.Runtime), (execution.Status, execution.Error));
    }

    [Fact]
    public async Task States_ALL_catches_a_handler_exception()
    {
        Handle("Work", _ => throw new InvalidOperationException("no"));

        var execution = await RunAsync(Catching("""[ { "ErrorEquals": ["States.ALL"], "Next": "Handled" } ]"""));

        Assert.Equal(WorkflowErrors.TaskFailed, Parse(execution.Output)!["Error"]!.GetValue<string>());
    }
}
