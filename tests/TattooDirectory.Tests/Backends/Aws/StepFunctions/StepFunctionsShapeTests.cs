using System.Net;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Aws.StepFunctions;

/// <summary>
/// The JSON 1.0 requests the Step Functions engine sends (X-Amz-Target AWSStepFunctions.*) and how
/// it reads the service's documented answers and errors; there is no Step Functions emulator here.
/// </summary>
public sealed class StepFunctionsShapeTests
{
    private const string MachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:td-aggregation";
    private const string ExecutionArn = "arn:aws:states:us-east-1:123456789012:execution:td-aggregation:run-1";

    private readonly SignedClientRig _rig = new(o => o.StepFunctions.StateMachineArns = new() { ["aggregation"] = MachineArn });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StepFunctionsEngine Engine => new(_rig.Client, _rig.Options);

    [Fact]
    public async Task Starting_sends_StartExecution_with_the_configured_ARN_name_and_input()
    {
        _rig.Http.Respond(HttpStatusCode.OK, $$"""{"executionArn":"{{ExecutionArn}}","startDate":1.548270443523E9}""");

        var started = await Engine.StartExecutionAsync("aggregation", """{"runId":"run-1"}""", "run-1", Ct);

        Assert.Equal(new StartedExecution(ExecutionArn, DateTimeOffset.FromUnixTimeMilliseconds(1548270443523)), started);
        var (request, _) = Assert.Single(_rig.Http.Requests);
        Assert.Equal("AWSStepFunctions.StartExecution", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Matches("/us-east-1/states/aws4_request, SignedHeaders=content-type;.*x-amz-target", request.Headers.GetValues("Authorization").Single());
        AssertBody(0, $$"""{"stateMachineArn":"{{MachineArn}}","name":"run-1","input":"{\"runId\":\"run-1\"}"}""");
    }

    [Fact]
    public async Task Without_a_name_or_input_an_execution_gets_a_new_guid_and_an_empty_object()
    {
        _rig.Http.Respond(HttpStatusCode.OK, $$"""{"executionArn":"{{ExecutionArn}}","startDate":1548270443}""");

        await Engine.StartExecutionAsync("aggregation", cancellationToken: Ct);

        Assert.True(Guid.TryParse(Body(0)["name"]!.GetValue<string>(), out _));
        Assert.Equal("{}", Body(0)["input"]!.GetValue<string>());
    }

    public static TheoryData<string, Type> StartErrors => new()
    {
        { """{"__type":"ExecutionAlreadyExists","message":"Execution Already Exists: 'arn:aws:states:us-east-1:123456789012:execution:td-aggregation:run-1'"}""", typeof(ExecutionAlreadyExistsException) },
        { """{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:td-aggregation'"}""", typeof(KeyNotFoundException) },
        { """{"__type":"InvalidName","message":"Invalid Name: 'run 1'"}""", typeof(ArgumentException) },
        { """{"__type":"InvalidExecutionInput","message":"Invalid State Machine Execution Input: 'Unexpected character ('n' (code 110))'"}""", typeof(ArgumentException) },
        { """{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User is not authorized to perform: states:StartExecution"}""", typeof(AwsApiException) },
    };

    [Theory]
    [MemberData(nameof(StartErrors))]
    public async Task Start_errors_become_the_ports_exceptions(string error, Type expected)
    {
        _rig.Http.Respond(HttpStatusCode.BadRequest, error);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => Engine.StartExecutionAsync("aggregation", "{}", "run-1", Ct));

        Assert.IsType(expected, thrown);
    }

    [Fact]
    public async Task A_state_machine_without_a_configured_ARN_is_unknown_without_a_call()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.StartExecutionAsync("reindex", cancellationToken: Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Engine.ListExecutionsAsync("reindex", cancellationToken: Ct));

        Assert.Empty(_rig.Http.Requests);
    }

    [Fact]
    public async Task Describing_reads_status_input_output_and_dates_and_an_unknown_execution_is_null()
    {
        _rig.Http.Respond(HttpStatusCode.OK, $$"""
            {"executionArn":"{{ExecutionArn}}","stateMachineArn":"{{MachineArn}}","name":"run-1","status":"FAILED",
             "startDate":1.548270443523E9,"stopDate":1.548270449123E9,"input":"{\"runId\":\"run-1\"}",
             "inputDetails":{"included":true},"error":"Task.Transient","cause":"Overpass answered 503"}
            """)
            .Respond(HttpStatusCode.BadRequest, """{"__type":"ExecutionDoesNotExist","message":"Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:td-aggregation:nope'"}""");

        var failed = await Engine.DescribeExecutionAsync(ExecutionArn, Ct);
        var unknown = await Engine.DescribeExecutionAsync(ExecutionArn.Replace("run-1", "nope", StringComparison.Ordinal), Ct);

        Assert.Equal(new ExecutionDescription(ExecutionArn, "aggregation", "run-1", ExecutionStatus.Failed, """{"runId":"run-1"}""", null, "Task.Transient", "Overpass answered 503",
            DateTimeOffset.FromUnixTimeMilliseconds(1548270443523), DateTimeOffset.FromUnixTimeMilliseconds(1548270449123)), failed);
        Assert.Null(unknown);
        Assert.Equal("AWSStepFunctions.DescribeExecution", _rig.Http.Requests[0].Request.Headers.GetValues("X-Amz-Target").Single());
        AssertBody(0, $$"""{"executionArn":"{{ExecutionArn}}"}""");
    }

    [Fact]
    public async Task History_events_are_flattened_from_their_details_with_task_events_named_by_their_state()
    {
        _rig.Http.Respond(HttpStatusCode.OK, """
            {"events":[
              {"id":1,"previousEventId":0,"timestamp":1.5e9,"type":"ExecutionStarted","executionStartedEventDetails":{"input":"{}","roleArn":"arn:aws:iam::123456789012:role/sfn"}},
              {"id":2,"previousEventId":0,"timestamp":1.5e9,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"DiscoverStudios","input":"{}"}},
              {"id":3,"previousEventId":2,"timestamp":1.5e9,"type":"TaskScheduled","taskScheduledEventDetails":{"resourceType":"lambda","resource":"invoke","region":"us-east-1",
                "parameters":"{\"FunctionName\":\"arn:aws:lambda:us-east-1:123456789012:function:td-DiscoverStudios\",\"Payload\":{\"runId\":\"run-1\"}}"}},
              {"id":4,"previousEventId":3,"timestamp":1.5e9,"type":"TaskStarted","taskStartedEventDetails":{"resourceType":"lambda","resource":"invoke"}},
              {"id":5,"previousEventId":4,"timestamp":1.5e9,"type":"TaskFailed","taskFailedEventDetails":{"resourceType":"lambda","resource":"invoke","error":"Task.Transient","cause":"503"}},
              {"id":6,"previousEventId":5,"timestamp":1.5e9,"type":"ParallelStateEntered","stateEnteredEventDetails":{"name":"Never"}},
              {"id":7,"previousEventId":5,"timestamp":1.5e9,"type":"MapStateStarted","mapStateStartedEventDetails":{"length":3}},
              {"id":8,"previousEventId":7,"timestamp":1.5e9,"type":"MapIterationStarted","mapIterationStartedEventDetails":{"name":"FindArtists","index":2}},
              {"id":9,"previousEventId":8,"timestamp":1.501e9,"type":"ExecutionSucceeded","executionSucceededEventDetails":{"output":"{\"ok\":true}"}}],
             "nextToken":"AAAAKgAAAAIAAAAAAAAAAQ"}
            """);

        var page = await Engine.GetExecutionHistoryAsync(ExecutionArn, 9, "AAAAKgAAAAIAAAAAAAAAAA", reverseOrder: true, Ct);

        AssertBody(0, $$"""{"executionArn":"{{ExecutionArn}}","maxResults":9,"reverseOrder":true,"includeExecutionData":true,"nextToken":"AAAAKgAAAAIAAAAAAAAAAA"}""");
        var at = DateTimeOffset.FromUnixTimeSeconds(1_500_000_000);
        Assert.Equal(
        [
            new HistoryEvent(1, 0, at, HistoryEventType.ExecutionStarted, Input: "{}"),
            new HistoryEvent(2, 0, at, HistoryEventType.TaskStateEntered, "DiscoverStudios", Input: "{}"),
            new HistoryEvent(3, 2, at, HistoryEventType.TaskScheduled, "DiscoverStudios", Input: """{"runId":"run-1"}""", Resource: "arn:aws:lambda:us-east-1:123456789012:function:td-DiscoverStudios"),
            new HistoryEvent(4, 3, at, HistoryEventType.TaskStarted, "DiscoverStudios", Resource: "lambda:invoke"),
            new HistoryEvent(5, 4, at, HistoryEventType.TaskFailed, "DiscoverStudios", Error: "Task.Transient", Cause: "503", Resource: "lambda:invoke"),
            new HistoryEvent(7, 5, at, HistoryEventType.MapStateStarted, "DiscoverStudios", IterationCount: 3),
            new HistoryEvent(8, 7, at, HistoryEventType.MapIterationStarted, "FindArtists", IterationIndex: 2),
            new HistoryEvent(9, 8, DateTimeOffset.FromUnixTimeSeconds(1_501_000_000), HistoryEventType.ExecutionSucceeded, Output: """{"ok":true}"""),
        ], page.Events);
        Assert.Equal("AAAAKgAAAAIAAAAAAAAAAQ", page.NextToken);
    }

    [Fact]
    public async Task Listing_filters_by_the_wire_status_and_names_executions_by_the_configured_state_machine()
    {
        _rig.Http.Respond(HttpStatusCode.OK, $$"""
            {"executions":[{"executionArn":"{{ExecutionArn}}","stateMachineArn":"{{MachineArn}}","name":"run-1","status":"TIMED_OUT",
              "startDate":1.5e9,"stopDate":1.5000036e9}],"nextToken":"next"}
            """);

        var page = await Engine.ListExecutionsAsync("aggregation", ExecutionStatus.TimedOut, 10, cancellationToken: Ct);

        AssertBody(0, $$"""{"stateMachineArn":"{{MachineArn}}","maxResults":10,"statusFilter":"TIMED_OUT"}""");
        Assert.Equal(new ExecutionPage([new ExecutionSummary(ExecutionArn, "aggregation", "run-1", ExecutionStatus.TimedOut,
            DateTimeOffset.FromUnixTimeSeconds(1_500_000_000), DateTimeOffset.FromUnixTimeSeconds(1_500_003_600))], "next").Executions, page.Executions);
        Assert.Equal("next", page.NextToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_page_size_outside_1_to_1000_is_refused_without_a_call(int maxResults)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Engine.ListExecutionsAsync("aggregation", maxResults: maxResults, cancellationToken: Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Engine.GetExecutionHistoryAsync(ExecutionArn, maxResults, cancellationToken: Ct));

        Assert.Empty(_rig.Http.Requests);
    }

    [Fact]
    public async Task Stopping_a_running_execution_sends_its_error_and_cause_and_a_stopped_one_is_left_alone()
    {
        _rig.Http.Respond(HttpStatusCode.OK, Described("RUNNING"))
            .Respond(HttpStatusCode.OK, """{"stopDate":1.5e9}""")
            .Respond(HttpStatusCode.OK, Described("SUCCEEDED"));

        var stopped = await Engine.StopExecutionAsync(ExecutionArn, "Operator.Stop", "stopped from the admin page", Ct);
        var again = await Engine.StopExecutionAsync(ExecutionArn, cancellationToken: Ct);

        Assert.Equal((true, false), (stopped, again));
        Assert.Equal(["DescribeExecution", "StopExecution", "DescribeExecution"], _rig.Http.Requests.Select(r => r.Request.Headers.GetValues("X-Amz-Target").Single()["AWSStepFunctions.".Length..]));
        AssertBody(1, $$"""{"executionArn":"{{ExecutionArn}}","error":"Operator.Stop","cause":"stopped from the admin page"}""");
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_signed_client()
    {
        _rig.Http.Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""")
            .Respond(HttpStatusCode.OK, Described("RUNNING"));

        Assert.Equal(ExecutionStatus.Running, (await Engine.DescribeExecutionAsync(ExecutionArn, Ct))!.Status);
        Assert.Equal(2, _rig.Http.Requests.Count);
    }

    private static string Described(string status) => $$"""
        {"executionArn":"{{ExecutionArn}}","stateMachineArn":"{{MachineArn}}","name":"run-1","status":"{{status}}","startDate":1.5e9,"input":"{}"}
        """;

    private JsonNode Body(int request) => JsonNode.Parse(_rig.Http.Requests[request].Body)!;

    private void AssertBody(int request, string expected) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Body(request)), Body(request).ToJsonString());
}
