using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Pass (Result, Parameters, ResultPath), Succeed and Fail (Error, Cause and their paths).</summary>
public sealed class PassSucceedFailTests : WorkflowTestBase
{
    private static string One(string state) => $$"""{ "StartAt": "S", "States": { "S": {{state}} } }""";

    [Theory]
    [InlineData("""{ "Type": "Pass", "End": true }""", """{ "georefOf": "Home" }""")]
    [InlineData("""{ "Type": "Pass", "Result": { "x-datum": 0.381018 }, "ResultPath": "$.coords", "End": true }""", """{ "georefOf": "Home", "coords": { "x-datum": 0.381018 } }""")]
    [InlineData("""{ "Type": "Pass", "Result": null, "End": true }""", "null")]
    [InlineData("""{ "Type": "Pass", "Parameters": { "where.$": "$.georefOf", "fixed": 1 }, "End": true }""", """{ "where": "Home", "fixed": 1 }""")]
    [InlineData("""{ "Type": "Pass", "Parameters": { "where.$": "$.georefOf" }, "ResultPath": "$.copy", "End": true }""", """{ "georefOf": "Home", "copy": { "where": "Home" } }""")]
    [InlineData("""{ "Type": "Pass", "Result": "r", "ResultPath": null, "OutputPath": "$.georefOf", "End": true }""", "\"Home\"")]
    public async Task Pass_outputs_its_Result_or_Parameters_placed_by_ResultPath(string state, string expected)
    {
        var execution = await RunAsync(One(state), """{ "georefOf": "Home" }""");

        AssertJson(expected, execution.Output);
    }

    [Fact]
    public async Task Succeed_ends_the_execution_with_its_input_through_InputPath_and_OutputPath()
    {
        var arn = await StartAsync(One("""{ "Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b" }"""), """{ "a": { "b": 2 } }""");
        var execution = await EndOfAsync(arn);

        Assert.Equal((ExecutionStatus.Succeeded, "2"), (execution.Status, execution.Output));
        Assert.Equal(
            [HistoryEventType.ExecutionStarted, HistoryEventType.SucceedStateEntered, HistoryEventType.SucceedStateExited, HistoryEventType.ExecutionSucceeded],
            (await HistoryAsync(arn)).Select(e => e.Type));
    }

    [Fact]
    public async Task Fail_ends_the_execution_with_its_Error_and_Cause()
    {
        var arn = await StartAsync(One("""{ "Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack" }"""));
        var execution = await EndOfAsync(arn);

        Assert.Equal((ExecutionStatus.Failed, "ErrorA", "Kaiju attack", null), (execution.Status, execution.Error, execution.Cause, execution.Output));
        Assert.Equal(HistoryEventType.FailStateEntered, (await HistoryAsync(arn))[^2].Type);
    }

    [Fact]
    public async Task Fail_can_take_its_Error_and_Cause_from_the_input()
    {
        var execution = await RunAsync(One("""{ "Type": "Fail", "ErrorPath": "$.failure.Error", "CausePath": "$.failure.Cause" }"""),
            """{ "failure": { "Error": "Upstream", "Cause": "from the input" } }""");

        Assert.Equal(("Upstream", "from the input"), (execution.Error, execution.Cause));
    }

    [Fact]
    public async Task Fail_without_an_Error_fails_with_none()
    {
        var execution = await RunAsync(One("""{ "Type": "Fail" }"""));

        Assert.Equal((ExecutionStatus.Failed, null, null), (execution.Status, execution.Error, execution.Cause));
    }
}
