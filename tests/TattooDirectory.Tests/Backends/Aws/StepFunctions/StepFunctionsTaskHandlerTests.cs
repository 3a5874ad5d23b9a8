using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Aws.StepFunctions;

/// <summary>A workflow task's Lambda entry point: the state's Payload in, the task's result or a function error out.</summary>
public sealed class StepFunctionsTaskHandlerTests
{
    private static readonly IWorkflowTask[] Tasks =
    [
        WorkflowTask.Create("DiscoverStudios", (payload, _) => Task.FromResult<JsonNode?>(new JsonObject { ["runId"] = payload?["runId"]?.DeepClone(), ["studios"] = 12 })),
        WorkflowTask.Create("FindArtists", (_, _) => throw new WorkflowTaskException(WorkflowErrors.Transient, "Overpass answered 503")),
        WorkflowTask.Create("Report", (_, _) => throw new InvalidOperationException("no run")),
        WorkflowTask.Create("CheckQueueDrained", (_, _) => Task.FromResult<JsonNode?>(null)),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_configured_task_runs_on_the_payload_and_its_result_is_the_response()
    {
        var response = await Handler("DiscoverStudios").HandleAsync("""{"runId":"run-1","trigger":"schedule"}""", Ct);

        Assert.False(response.IsError);
        Assert.Equal("""{"runId":"run-1","studios":12}""", response.Body);
    }

    [Fact]
    public async Task A_task_without_a_result_answers_null() =>
        Assert.Equal(new LambdaResponse("null"), await Handler("CheckQueueDrained").HandleAsync("{}", Ct));

    [Fact]
    public async Task A_named_task_failure_is_a_function_error_whose_type_the_definitions_Retry_matches()
    {
        var response = await Handler("FindArtists").HandleAsync("{}", Ct);

        Assert.Equal(WorkflowErrors.Transient, response.ErrorType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"errorType":"Task.Transient","errorMessage":"Overpass answered 503"}"""), JsonNode.Parse(response.Body)), response.Body);
    }

    [Fact]
    public async Task Any_other_failure_is_a_function_error_named_by_the_exception_type()
    {
        var response = await Handler("Report").HandleAsync("{}", Ct);

        Assert.Equal(("InvalidOperationException", "InvalidOperationException: no run"), (response.ErrorType, JsonNode.Parse(response.Body)!["errorMessage"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("DiscoverStudio")]
    public void A_process_without_a_known_configured_task_refuses_to_be_a_task_function(string? task) =>
        Assert.Throws<InvalidOperationException>(() => Handler(task));

    private static StepFunctionsTaskHandler Handler(string? task) =>
        new(Tasks, Options.Create(new AwsOptions { StepFunctions = new StepFunctionsOptions { Task = task } }), NullLogger<StepFunctionsTaskHandler>.Instance);
}
