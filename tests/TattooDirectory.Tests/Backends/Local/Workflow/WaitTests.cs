using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Wait states on the clock: Seconds, SecondsPath, Timestamp and TimestampPath.</summary>
public sealed class WaitTests : WorkflowTestBase
{
    private static string Waiting(string how) => $$"""
        { "StartAt": "Pause", "States": { "Pause": { "Type": "Wait", {{how}}, "Next": "Done" }, "Done": { "Type": "Succeed" } } }
        """;

    private async Task<(TimeSpan Wait, TimeSpan ExitedAfter, ExecutionDescription Execution)> WaitOutAsync(string how, string input)
    {
        var startedAt = Clock.GetUtcNow();
        var arn = await StartAsync(Waiting(how), input);
        var wait = await Clock.ElapseNextTimerAsync();
        var execution = await EndOfAsync(arn);
        var exited = (await HistoryAsync(arn)).Single(e => e.Type == HistoryEventType.WaitStateExited);
        return (wait, exited.Timestamp - startedAt, execution);
    }

    [Theory]
    [InlineData("\"Seconds\": 30", "{}", 30)]
    [InlineData("\"SecondsPath\": \"$.delay\"", """{ "delay": 45 }""", 45)]
    [InlineData("\"Timestamp\": \"2025-03-01T02:10:00Z\"", "{}", 600)]
    [InlineData("\"TimestampPath\": \"$.until\"", """{ "until": "2025-03-01T04:00:00+01:00" }""", 3600)]
    public async Task A_Wait_state_holds_the_execution_until_its_time_and_passes_its_input_on(string how, string input, double seconds)
    {
        var (wait, exitedAfter, execution) = await WaitOutAsync(how, input);

        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
        Assert.Equal(TimeSpan.FromSeconds(seconds), exitedAfter);
        AssertJson(input, execution.Output);
    }

    [Fact]
    public async Task A_timestamp_already_past_does_not_wait()
    {
        var execution = await RunAsync(Waiting("\"Timestamp\": \"2020-01-01T00:00:00Z\""));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    [Theory]
    [InlineData("""{ "delay": -1 }""")]
    [InlineData("""{ "delay": "10" }""")]
    [InlineData("{}")]
    public async Task A_SecondsPath_without_a_non_negative_integer_fails_with_States_Runtime(string input)
    {
        var execution = await RunAsync(Waiting("\"SecondsPath\": \"$.delay\""), input);

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.Runtime), (execution.Status, execution.Error));
    }
}
