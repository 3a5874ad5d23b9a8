using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Core.Workflow;

public sealed class WorkflowTaskTests
{
    [Fact]
    public async Task A_task_made_from_a_delegate_has_its_name_and_runs_the_delegate()
    {
        var task = WorkflowTask.Create("DiscoverStudios", (payload, _) => Task.FromResult<JsonNode?>(new JsonObject { ["echo"] = payload?.DeepClone() }));

        var result = await task.InvokeAsync(JsonValue.Create(7), TestContext.Current.CancellationToken);

        Assert.Equal("DiscoverStudios", task.Name);
        Assert.Equal(7, result!["echo"]!.GetValue<int>());
    }

    [Fact]
    public void A_task_error_carries_its_name_and_cause_for_Retry_and_Catch()
    {
        var error = new WorkflowTaskException(WorkflowErrors.Transient, "Overpass answered 503");

        Assert.Equal((WorkflowErrors.Transient, "Overpass answered 503"), (error.Error, error.Cause));
    }

    [Theory]
    [InlineData("States.TaskFailed")]
    [InlineData("States.Anything")]
    [InlineData("")]
    public void Error_names_reserved_for_the_engine_or_empty_are_refused(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new WorkflowTaskException(name, "cause"));
}
