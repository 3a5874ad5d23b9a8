using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Sns;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Tests.Backends.Aws.Sns;

/// <summary>
/// The Publish form the SNS topic adapter sends (Query API on the signed client) and how it reads
/// SNS's documented XML answers and errors; there is no SNS emulator here.
/// </summary>
public sealed class SnsShapeTests
{
    private const string StandardArn = "arn:aws:sns:us-east-1:123456789012:removal-requests";
    private const string FifoArn = "arn:aws:sns:us-east-1:123456789012:removal-confirmations.fifo";

    private const string Published = """
        <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult>
            <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
          </PublishResult>
          <ResponseMetadata>
            <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
          </ResponseMetadata>
        </PublishResponse>
        """;

    private const string PublishedFifo = """
        <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult>
            <SequenceNumber>10000000000000003000</SequenceNumber>
            <MessageId>f5f1e8f5-45a8-5f3b-9a6c-1c2d3e4f5a6b</MessageId>
          </PublishResult>
          <ResponseMetadata>
            <RequestId>0a1b2c3d-0000-5000-8000-000000000001</RequestId>
          </ResponseMetadata>
        </PublishResponse>
        """;

    private readonly SignedClientRig _rig = new(o => o.Sns.TopicArns = new() { [Topics.RemovalRequests] = StandardArn, [Topics.RemovalConfirmations] = FifoArn });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SnsTopic Topic => new(_rig.Client, _rig.Options, NullLogger<SnsTopic>.Instance);

    [Fact]
    public async Task A_publish_is_a_signed_Publish_form_with_subject_body_and_string_attributes()
    {
        _rig.Http.Respond(HttpStatusCode.OK, Published);

        var id = await Topic.PublishAsync(Topics.RemovalRequests, new Notification("New request", "Please review r-1 & r-2", new Dictionary<string, string> { ["requestId"] = "r-1", ["kind"] = "profile" }), Ct);

        Assert.Equal("567910cd-659e-55d4-8ccb-5aaf14679dc0", id);
        var (request, body) = Assert.Single(_rig.Http.Requests);
        Assert.Equal((HttpMethod.Post, "http://127.0.0.1:9/"), (request.Method, request.RequestUri!.ToString()));
        // The client disposes the request's content once sent; the signature shows what it carried.
        Assert.Contains("/us-east-1/sns/aws4_request, SignedHeaders=content-type;", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "Publish",
            ["Version"] = "2010-03-31",
            ["TopicArn"] = StandardArn,
            ["Subject"] = "New request",
            ["Message"] = "Please review r-1 & r-2",
            ["MessageAttributes.entry.1.Name"] = "kind",
            ["MessageAttributes.entry.1.Value.DataType"] = "String",
            ["MessageAttributes.entry.1.Value.StringValue"] = "profile",
            ["MessageAttributes.entry.2.Name"] = "requestId",
            ["MessageAttributes.entry.2.Value.DataType"] = "String",
            ["MessageAttributes.entry.2.Value.StringValue"] = "r-1",
        }, Form(body));
    }

    [Fact]
    public async Task A_deduplication_id_on_a_FIFO_topic_is_its_MessageDeduplicationId_in_the_topics_one_group()
    {
        _rig.Http.Respond(HttpStatusCode.OK, PublishedFifo);

        var id = await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Removed", "r-1"), "r-1/confirm", Ct);

        Assert.Equal("f5f1e8f5-45a8-5f3b-9a6c-1c2d3e4f5a6b", id);
        var form = Form(_rig.Http.Requests[0].Body);
        Assert.Equal((FifoArn, "removal-confirmations", "r-1/confirm"), (form["TopicArn"], form["MessageGroupId"], form["MessageDeduplicationId"]));
    }

    [Fact]
    public async Task FIFO_publishes_without_a_deduplication_id_each_get_their_own()
    {
        _rig.Http.Respond(HttpStatusCode.OK, PublishedFifo).Respond(HttpStatusCode.OK, PublishedFifo);

        await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("same", "same"), Ct);
        await Topic.PublishAsync(Topics.RemovalConfirmations, new Notification("same", "same"), Ct);

        var ids = _rig.Http.Requests.Select(r => Form(r.Body)["MessageDeduplicationId"]).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_standard_topic_gets_neither_group_nor_deduplication_id_and_a_topic_without_an_entry_takes_the_prefix()
    {
        var rig = new SignedClientRig(o => o.Sns.TopicArnPrefix = "arn:aws:sns:us-east-1:123456789012:td-");
        rig.Http.Respond(HttpStatusCode.OK, Published);

        await new SnsTopic(rig.Client, rig.Options, NullLogger<SnsTopic>.Instance).PublishAsync(Topics.CriticalAlerts, new Notification("", "Purge stalled"), "alert-1", Ct);

        var form = Form(rig.Http.Requests[0].Body);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:td-critical-alerts", form["TopicArn"]);
        Assert.DoesNotContain("MessageDeduplicationId", form.Keys);
        Assert.DoesNotContain("MessageGroupId", form.Keys);
        Assert.DoesNotContain("Subject", form.Keys);
    }

    [Fact]
    public async Task An_unknown_topic_or_one_without_a_configured_ARN_is_refused_before_any_call()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Topic.PublishAsync("removal-request", new Notification("s", "b"), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Topic.PublishAsync(Topics.WarningAlerts, new Notification("s", "b"), Ct));

        Assert.Empty(_rig.Http.Requests);
    }

    [Fact]
    public async Task A_missing_topic_is_an_AWS_error_with_its_code_and_a_refused_parameter_is_an_argument_error()
    {
        _rig.Http.Respond(HttpStatusCode.NotFound, Error("Sender", "NotFound", "Topic does not exist"))
            .Respond(HttpStatusCode.BadRequest, Error("Sender", "InvalidParameter", "Invalid parameter: Subject"));

        var missing = await Assert.ThrowsAsync<AwsApiException>(() => Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Topic.PublishAsync(Topics.RemovalRequests, new Notification("line\nbreak", "b"), Ct));

        Assert.Equal(("sns", "NotFound", HttpStatusCode.NotFound), (missing.Service, missing.Code, missing.Status));
    }

    [Fact]
    public async Task Throttling_is_retried_and_reported_once_the_attempts_run_out()
    {
        for (var i = 0; i < 2; i++)
        {
            _rig.Http.Respond(HttpStatusCode.BadRequest, Error("Sender", "Throttling", "Rate exceeded"));
        }

        _rig.Http.Respond(HttpStatusCode.OK, Published);
        for (var i = 0; i < 4; i++)
        {
            _rig.Http.Respond(HttpStatusCode.BadRequest, Error("Sender", "Throttling", "Rate exceeded"));
        }

        var id = await Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), Ct);
        var throttled = await Assert.ThrowsAsync<AwsApiException>(() => Topic.PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), Ct));

        Assert.Equal(("567910cd-659e-55d4-8ccb-5aaf14679dc0", "Throttling", 7), (id, throttled.Code, _rig.Http.Requests.Count));
    }

    [Fact]
    public async Task The_health_probe_asks_for_the_critical_alerts_topics_attributes_and_reports_what_SNS_refuses()
    {
        const string criticalArn = "arn:aws:sns:us-east-1:123456789012:critical-alerts";
        var rig = new SignedClientRig(o => o.Sns.TopicArns = new() { [Topics.CriticalAlerts] = criticalArn });
        rig.Http.Respond(HttpStatusCode.OK, """
            <GetTopicAttributesResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
              <GetTopicAttributesResult><Attributes><entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:123456789012:critical-alerts</value></entry></Attributes></GetTopicAttributesResult>
              <ResponseMetadata><RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId></ResponseMetadata>
            </GetTopicAttributesResponse>
            """).Respond(HttpStatusCode.Forbidden, Error("Sender", "AuthorizationError", "User is not authorized"));
        var topic = new SnsTopic(rig.Client, rig.Options, NullLogger<SnsTopic>.Instance);

        await topic.ProbeAsync(Ct);
        var refused = await Assert.ThrowsAsync<AwsApiException>(() => topic.ProbeAsync(Ct));

        Assert.Equal(new Dictionary<string, string> { ["Action"] = "GetTopicAttributes", ["Version"] = "2010-03-31", ["TopicArn"] = criticalArn }, Form(rig.Http.Requests[0].Body));
        Assert.Equal("AuthorizationError", refused.Code);
    }

    private static string Error(string type, string code, string message) => $"""
        <ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
          <Error>
            <Type>{type}</Type>
            <Code>{code}</Code>
            <Message>{message}</Message>
          </Error>
          <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>
        </ErrorResponse>
        """;

    private static Dictionary<string, string> Form(string body) => body.Split('&').Select(pair => pair.Split('=')).ToDictionary(
        p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
}
