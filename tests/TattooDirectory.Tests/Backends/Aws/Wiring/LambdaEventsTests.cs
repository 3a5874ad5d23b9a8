using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Aws.Wiring;

/// <summary>
/// The workflow-task and scrape-handler roles as the Lambda Web Adapter drives them: their event
/// endpoints take the documented invocation events and answer with the function's result, the
/// partial batch response, or an error status the adapter turns into a function error.
/// </summary>
public sealed class LambdaEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_workflow_task_function_runs_its_task_on_the_states_payload_and_a_task_failure_is_an_error_answer()
    {
        // A task of its own name (the app's real ones would reach out to the web), given a Payload of DiscoverStudios' shape: { runId, request }.
        var task = WorkflowTask.Create("EchoStudios", (payload, _) => payload?["request"]?["fail"] is not null
            ? throw new WorkflowTaskException(WorkflowErrors.Transient, "Overpass answered 503")
            : Task.FromResult<JsonNode?>(new JsonObject { ["studios"] = new JsonArray(), ["runId"] = payload?["runId"]?.DeepClone() }));
        var settings = await SettingsAsync(("Roles", "workflow-task"), ("Aws:StepFunctions:Task", "EchoStudios"));
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings,
            configure: b => b.Services.AddSingleton<IWorkflowTask>(task));

        using var done = await host.Client.PostAsync("/events/workflow-task", Json("""{"runId":"run-1","request":{"cities":["Leeds"]}}"""), Ct);
        using var failed = await host.Client.PostAsync("/events/workflow-task", Json("""{"runId":"run-1","request":{"fail":true}}"""), Ct);
        using var api = await host.Client.GetAsync("/v1/artists", Ct);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        AssertJson("""{"studios":[],"runId":"run-1"}""", await done.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        AssertJson("""{"errorType":"Task.Transient","errorMessage":"Overpass answered 503"}""", await failed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task A_scrape_handler_function_runs_each_job_of_the_sqs_batch_and_reports_only_the_unsettled_ones()
    {
        var settings = await SettingsAsync(("Roles", "scrape-handler"));
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);
        // A studio the catalog does not know: the job settles as Failed without fetching anything.
        var job = new ScrapeJob("scrape-0001", "run-1", "studio-unknown1", new Uri("https://studio.example/artists/ada"), null, null);

        using var answer = await host.Client.PostAsync("/events/scrape", Json(SqsEvent(("m-1", RunRecords.JobBody(job)), ("m-2", "not a scrape job"))), Ct);
        using var notAnEvent = await host.Client.PostAsync("/events/scrape", Json("""{"Records":[{"body":"no id"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        AssertJson("""{"batchItemFailures":[{"itemIdentifier":"m-2"}]}""", await answer.Content.ReadAsStringAsync(Ct));
        var outcome = RunRecords.ReadOutcome((await host.Service<ITable>().GetAsync(Keys.RunJob(job.RunId, job.ScrapeId), Ct))!);
        Assert.Equal((ScrapeOutcomeKind.Failed, "unknown studio"), (outcome.Kind, outcome.Reason));
        Assert.Equal(HttpStatusCode.BadRequest, notAnEvent.StatusCode);
    }

    [Theory]
    [InlineData("Aws", "workflow-task")]
    [InlineData("Local", "scrape-handler")]
    public async Task A_lambda_role_without_what_it_needs_refuses_to_start(string backend, string role)
    {
        var settings = await SettingsAsync(("Roles", role), ("Backend", backend));

        await Assert.ThrowsAsync<InvalidOperationException>(() => DirectoryHost.StartAsync(seed: false, settings: settings));
    }

    private static async Task<Dictionary<string, string>> SettingsAsync(params (string Key, string Value)[] overrides)
    {
        var settings = await EmulatedAws.SettingsAsync(Ct);
        settings["Backend"] = "Aws";
        settings["Denylist:Key"] = Convert.ToBase64String(new byte[32]);
        settings["Aws:OpenSearch:Endpoint"] = EmulatedAws.Nowhere;
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    /// <summary>The documented Lambda SQS event, one record per (message id, body).</summary>
    private static string SqsEvent(params (string Id, string Body)[] records) => new JsonObject
    {
        ["Records"] = new JsonArray([.. records.Select(r => (JsonNode)new JsonObject
        {
            ["messageId"] = r.Id,
            ["receiptHandle"] = "AQEB-" + r.Id,
            ["body"] = r.Body,
            ["attributes"] = new JsonObject
            {
                ["ApproximateReceiveCount"] = "1",
                ["SentTimestamp"] = "1545082649183",
                ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                ["ApproximateFirstReceiveTimestamp"] = "1545082649185",
            },
            ["messageAttributes"] = new JsonObject(),
            ["md5OfBody"] = "e4e68fb7bd0e697a0ae8f1bb342846b3",
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:eu-west-2:123456789012:scrape",
            ["awsRegion"] = "eu-west-2",
        })]),
    }.ToJsonString();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), actual);
}
