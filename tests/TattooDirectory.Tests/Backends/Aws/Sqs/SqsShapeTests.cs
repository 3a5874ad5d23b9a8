using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Backends.Aws.Sqs;

/// <summary>
/// The SQS JSON-protocol requests the queue adapter sends (X-Amz-Target AmazonSQS.*) and how it
/// reads SQS's documented answers and errors, with no SQS behind it: there is no SQS emulator here.
/// </summary>
public sealed class SqsShapeTests : IDisposable
{
    private const string Account = "https://sqs.us-east-1.amazonaws.com/111122223333/";
    private const string QueueUrl = Account + "scrape-jobs";
    private const string DeadLetterUrl = Account + "scrape-jobs-dlq";
    private const string QueueArn = "arn:aws:sqs:us-east-1:111122223333:scrape-jobs";
    private const string DeadLetterArn = "arn:aws:sqs:us-east-1:111122223333:scrape-jobs-dlq";

    private static readonly QueueSettings Settings = new() { VisibilityTimeout = TimeSpan.FromSeconds(30), MaxReceiveCount = 3, Retention = TimeSpan.FromDays(4) };

    private readonly CannedHttp _http = new();
    private readonly AmazonSQSClient _client;
    private readonly SqsQueues _queues;

    public SqsShapeTests()
    {
        var options = AwsEmulators.Options();
        options.Sqs.ServiceUrl = "http://127.0.0.1:9";
        var config = AwsBackend.SqsConfig(options);
        config.HttpClientFactory = _http.SdkFactory();
        _client = new AmazonSQSClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"), config);
        _queues = new SqsQueues(_client, options.Sqs, NullLogger<SqsQueues>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IQueue Queue => _queues.Get("scrape-jobs", Settings);

    [Fact]
    public async Task The_first_call_creates_the_DLQ_then_the_queue_with_its_redrive_policy()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, Depth(2, 1, 1)).Respond(HttpStatusCode.OK, Depth(1, 0, 0));

        var stats = await Queue.GetStatsAsync(Ct);

        Assert.Equal(new QueueStats(Visible: 2, InFlight: 1, Delayed: 1, DeadLetters: 1, OldestMessageAge: null), stats);
        Assert.Equal(["CreateQueue", "GetQueueAttributes", "CreateQueue", "GetQueueAttributes", "GetQueueAttributes", "GetQueueAttributes"], Targets());
        AssertBody(0, """{"QueueName":"scrape-jobs-dlq","Attributes":{"MessageRetentionPeriod":"345600"}}""");
        AssertBody(1, $$"""{"QueueUrl":"{{DeadLetterUrl}}","AttributeNames":["QueueArn"]}""");
        AssertBody(2, """
            {"QueueName":"scrape-jobs","Attributes":{"VisibilityTimeout":"30","MessageRetentionPeriod":"345600",
             "RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:111122223333:scrape-jobs-dlq\",\"maxReceiveCount\":3}"}}
            """);
        AssertBody(4, $$"""{"QueueUrl":"{{QueueUrl}}","AttributeNames":["ApproximateNumberOfMessages","ApproximateNumberOfMessagesNotVisible","ApproximateNumberOfMessagesDelayed"]}""");
        AssertBody(5, $$"""{"QueueUrl":"{{DeadLetterUrl}}","AttributeNames":["ApproximateNumberOfMessages","ApproximateNumberOfMessagesNotVisible","ApproximateNumberOfMessagesDelayed"]}""");
    }

    [Fact]
    public async Task A_queue_that_exists_with_other_attributes_is_given_the_configured_settings()
    {
        _http.Respond(HttpStatusCode.OK, $$"""{"QueueUrl":"{{DeadLetterUrl}}"}""")
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{DeadLetterArn}}}"}}""")
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#QueueNameExists","message":"A queue already exists with the same name and a different value for attribute VisibilityTimeout"}""",
                ("x-amzn-query-error", "QueueAlreadyExists;Sender"))
            .Respond(HttpStatusCode.OK, $$"""{"QueueUrl":"{{QueueUrl}}"}""")
            .Respond(HttpStatusCode.OK, "{}")
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{QueueArn}}}"}}""")
            .Respond(HttpStatusCode.OK, Depth(0, 0, 0)).Respond(HttpStatusCode.OK, Depth(0, 0, 0));

        Assert.True((await Queue.GetStatsAsync(Ct)).IsDrained);

        Assert.Equal(["CreateQueue", "GetQueueAttributes", "CreateQueue", "GetQueueUrl", "SetQueueAttributes", "GetQueueAttributes"], Targets().Take(6));
        AssertBody(3, """{"QueueName":"scrape-jobs"}""");
        Assert.Equal(JsonNode.Parse(_http.Requests[2].Body)!["Attributes"]!.ToJsonString(), Body(4)["Attributes"]!.ToJsonString());
        Assert.Equal(QueueUrl, Body(4)["QueueUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_is_one_SendMessageBatch_and_each_entry_reports_its_own_outcome_in_batch_order()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, $$"""
            {"Failed":[{"Code":"InternalError","Id":"a-1","Message":"We encountered an internal error. Please try again.","SenderFault":false}],
             "Successful":[
               {"Id":"2","MD5OfMessageBody":"{{Md5("job 3")}}","MessageId":"c3d1e2f4-0000-4000-8000-000000000003","SequenceNumber":null},
               {"Id":"1","MD5OfMessageBody":"{{Md5("later")}}","MessageId":"b2c3d4e5-0000-4000-8000-000000000002"}]}
            """);

        var result = await Queue.SendBatchAsync([new("job 1", "a-1"), new("later", Delay: TimeSpan.FromMinutes(1)), new("job 3")], Ct);

        Assert.Equal("SendMessageBatch", Targets()[^1]);
        AssertBody(^1, $$"""
            {"QueueUrl":"{{QueueUrl}}","Entries":[
              {"Id":"a-1","MessageBody":"job 1","DelaySeconds":0},
              {"Id":"1","MessageBody":"later","DelaySeconds":60},
              {"Id":"2","MessageBody":"job 3","DelaySeconds":0}]}
            """);
        Assert.Equal([new SentMessage("1", "b2c3d4e5-0000-4000-8000-000000000002"), new SentMessage("2", "c3d1e2f4-0000-4000-8000-000000000003")], result.Successful);
        Assert.Equal([new FailedSend("a-1", "InternalError", "We encountered an internal error. Please try again.", SenderFault: false)], result.Failed);
    }

    [Fact]
    public async Task A_long_poll_asks_for_the_receive_count_and_times_and_reads_them_into_the_message()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, $$"""
            {"Messages":[{
              "Attributes":{"ApproximateReceiveCount":"2","SentTimestamp":"1545082649183","SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082649185"},
              "Body":"{\"foo\": 2}",
              "MD5OfBody":"{{Md5("{\"foo\": 2}")}}",
              "MessageId":"059f36b4-87a3-44ab-83d2-661975830a7d",
              "ReceiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a"}]}
            """);

        var message = Assert.Single(await Queue.ReceiveAsync(10, TimeSpan.FromSeconds(20), cancellationToken: Ct));

        Assert.Equal("ReceiveMessage", Targets()[^1]);
        AssertBody(^1, $$"""
            {"QueueUrl":"{{QueueUrl}}","MaxNumberOfMessages":10,"WaitTimeSeconds":20,
             "MessageSystemAttributeNames":["ApproximateReceiveCount","SentTimestamp","ApproximateFirstReceiveTimestamp"]}
            """);
        Assert.Equal(
            new QueueMessage("059f36b4-87a3-44ab-83d2-661975830a7d", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a", """{"foo": 2}""", 2,
                DateTimeOffset.FromUnixTimeMilliseconds(1545082649183), DateTimeOffset.FromUnixTimeMilliseconds(1545082649185)),
            message);
    }

    [Fact]
    public async Task A_receive_with_its_own_visibility_sends_it_and_an_empty_answer_is_no_messages()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, "{}");

        Assert.Empty(await Queue.ReceiveAsync(3, TimeSpan.Zero, TimeSpan.FromSeconds(45), Ct));

        Assert.Equal((3, 0, 45), (Body(^1)["MaxNumberOfMessages"]!.GetValue<int>(), Body(^1)["WaitTimeSeconds"]!.GetValue<int>(), Body(^1)["VisibilityTimeout"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_queue_deleted_behind_the_adapters_back_fails_the_call_and_the_next_call_creates_it_again()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""",
            ("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"));
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, "{}");

        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => Queue.ReceiveAsync(1, TimeSpan.Zero, cancellationToken: Ct));
        await Queue.ReceiveAsync(1, TimeSpan.Zero, cancellationToken: Ct);

        Assert.Equal(["CreateQueue", "GetQueueAttributes", "CreateQueue", "GetQueueAttributes", "ReceiveMessage"], Targets().Skip(5));
    }

    [Fact]
    public async Task Throttled_calls_are_retried_by_the_sdk()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Request is throttled."}""", ("x-amzn-query-error", "RequestThrottled;Sender"))
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}""")
            .Respond(HttpStatusCode.OK, "{}");

        await Queue.ReceiveAsync(1, TimeSpan.Zero, cancellationToken: Ct);

        Assert.Equal(["ReceiveMessage", "ReceiveMessage", "ReceiveMessage"], Targets().Skip(4));
    }

    public static TheoryData<string, string, bool?> VisibilityAnswers => new()
    {
        { """{"__type":"com.amazonaws.sqs#MessageNotInflight","message":"The message referred to isn't in flight."}""", "AWS.SimpleQueueService.MessageNotInflight;Sender", false },
        { """{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"Value AQEBTHl for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired."}""", "InvalidParameterValue;Sender", false },
        { """{"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"The input receipt handle \"not-a-receipt-handle\" is not a valid receipt handle."}""", "ReceiptHandleIsInvalid;Sender", null },
        { """{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"}""", "InvalidParameterValue;Sender", null },
    };

    [Theory]
    [MemberData(nameof(VisibilityAnswers))]
    public async Task A_visibility_change_reports_a_lost_delivery_as_false_and_a_bad_handle_or_timeout_as_an_argument_error(string error, string queryError, bool? expected)
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.BadRequest, error, ("x-amzn-query-error", queryError));

        var change = Queue.ChangeVisibilityAsync("AQEBTHl", TimeSpan.FromHours(11), Ct);

        if (expected is { } lost)
        {
            Assert.Equal(lost, await change);
        }
        else
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => change);
        }

        Assert.Equal("ChangeMessageVisibility", Targets()[^1]);
        AssertBody(^1, $$"""{"QueueUrl":"{{QueueUrl}}","ReceiptHandle":"AQEBTHl","VisibilityTimeout":39600}""");
    }

    [Fact]
    public async Task Deleting_with_an_expired_handle_is_harmless_and_with_an_unknown_one_is_an_argument_error()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"Value AQEBTHl for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired."}""", ("x-amzn-query-error", "InvalidParameterValue;Sender"))
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"The input receipt handle is invalid."}""", ("x-amzn-query-error", "ReceiptHandleIsInvalid;Sender"));

        await Queue.DeleteAsync("AQEBTHl", Ct);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Queue.DeleteAsync("not-a-receipt-handle", Ct));

        Assert.Equal(["DeleteMessage", "DeleteMessage"], Targets().Skip(4));
        AssertBody(4, $$"""{"QueueUrl":"{{QueueUrl}}","ReceiptHandle":"AQEBTHl"}""");
    }

    [Fact]
    public async Task Peeking_the_DLQ_receives_with_visibility_zero_and_leaves_out_the_peeks_own_receive()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, $$"""
            {"Messages":[{"Attributes":{"ApproximateReceiveCount":"4","SentTimestamp":"1545082649183","ApproximateFirstReceiveTimestamp":"1545082649185"},
              "Body":"poison","MD5OfBody":"{{Md5("poison")}}","MessageId":"m-1","ReceiptHandle":"AQEBdlq"}]}
            """);

        var letter = Assert.Single(await Queue.PeekDeadLettersAsync(5, Ct));

        AssertBody(^1, $$"""
            {"QueueUrl":"{{DeadLetterUrl}}","MaxNumberOfMessages":5,"WaitTimeSeconds":0,"VisibilityTimeout":0,
             "MessageSystemAttributeNames":["ApproximateReceiveCount","SentTimestamp","ApproximateFirstReceiveTimestamp"]}
            """);
        Assert.Equal(new DeadLetterMessage("m-1", "poison", 3, DateTimeOffset.FromUnixTimeMilliseconds(1545082649183)), letter);
    }

    [Fact]
    public async Task A_redrive_starts_a_message_move_task_from_the_DLQ_to_the_queue_and_counts_the_DLQ()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, Depth(2, 1, 0))
            .Respond(HttpStatusCode.OK, """{"TaskHandle":"eyJ0YXNrSWQiOiJkYzE2OWUwNC0wZTU1LTQ0ZDItYWE5MC1jMDgwY2ExZjM2ZjciLCJzb3VyY2VBcm4iOiJhcm46YXdzOnNxczp1cy1lYXN0LTE6NTU1NTU1NTU1NTU1Ok15RGVhZExldHRlclF1ZXVlIn0="}""")
            .Respond(HttpStatusCode.OK, Depth(0, 0, 0));

        var moved = await Queue.RedriveAsync(Ct);
        var nothing = await Queue.RedriveAsync(Ct);

        Assert.Equal((3, 0), (moved, nothing));
        Assert.Equal(["GetQueueAttributes", "StartMessageMoveTask", "GetQueueAttributes"], Targets().Skip(4));
        AssertBody(5, $$"""{"SourceArn":"{{DeadLetterArn}}","DestinationArn":"{{QueueArn}}"}""");
    }

    [Fact]
    public async Task Purging_purges_both_queues_and_a_purge_already_running_counts_as_done()
    {
        RespondToEnsure();
        _http.Respond(HttpStatusCode.OK, "{}")
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.sqs#PurgeQueueInProgress","message":"Only one PurgeQueue operation on scrape-jobs-dlq is allowed every 60 seconds."}""",
                ("x-amzn-query-error", "AWS.SimpleQueueService.PurgeQueueInProgress;Sender"));

        await Queue.PurgeAsync(Ct);

        Assert.Equal([QueueUrl, DeadLetterUrl], _http.Requests.Skip(4).Select(r => JsonNode.Parse(r.Body)!["QueueUrl"]!.GetValue<string>()));
        Assert.Equal(["PurgeQueue", "PurgeQueue"], Targets().Skip(4));
    }

    [Fact]
    public void A_prefix_that_leaves_no_room_for_the_name_and_its_DLQ_suffix_is_refused_before_any_call()
    {
        var queues = new SqsQueues(_client, new SqsOptions { QueuePrefix = new string('p', 40) }, NullLogger<SqsQueues>.Instance);

        Assert.ThrowsAny<ArgumentException>(() => queues.Get(new string('q', 37), Settings));
        Assert.Equal(new string('q', 36), queues.Get(new string('q', 36), Settings).Name);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task A_configured_queue_is_used_at_its_URLs_and_never_created_or_reconfigured()
    {
        _http.Respond(HttpStatusCode.OK, Depth(1, 0, 0)).Respond(HttpStatusCode.OK, Depth(0, 0, 0));

        var stats = await Configured().Get("scrape-jobs", Settings).GetStatsAsync(Ct);

        Assert.Equal((1, 0), (stats.Visible, stats.DeadLetters));
        Assert.Equal(["GetQueueAttributes", "GetQueueAttributes"], Targets());
        Assert.Equal([QueueUrl, DeadLetterUrl], _http.Requests.Select(r => JsonNode.Parse(r.Body)!["QueueUrl"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_redrive_of_a_configured_queue_reads_both_ARNs_before_it_starts_the_move()
    {
        _http.Respond(HttpStatusCode.OK, Depth(2, 0, 0))
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{DeadLetterArn}}}"}}""")
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{QueueArn}}}"}}""")
            .Respond(HttpStatusCode.OK, """{"TaskHandle":"eyJ0YXNrSWQiOiJkYzE2OWUwNC0wZTU1LTQ0ZDItYWE5MC1jMDgwY2ExZjM2ZjciLCJzb3VyY2VBcm4iOiJhcm46YXdzOnNxczp1cy1lYXN0LTE6NTU1NTU1NTU1NTU1Ok15RGVhZExldHRlclF1ZXVlIn0="}""");

        Assert.Equal(2, await Configured().Get("scrape-jobs", Settings).RedriveAsync(Ct));

        Assert.Equal(["GetQueueAttributes", "GetQueueAttributes", "GetQueueAttributes", "StartMessageMoveTask"], Targets());
        AssertBody(1, $$"""{"QueueUrl":"{{DeadLetterUrl}}","AttributeNames":["QueueArn"]}""");
        AssertBody(3, $$"""{"SourceArn":"{{DeadLetterArn}}","DestinationArn":"{{QueueArn}}"}""");
    }

    [Theory]
    [InlineData(QueueUrl, null)]
    [InlineData("scrape-jobs", DeadLetterUrl)]
    public void A_configured_queue_needs_both_absolute_URLs(string? url, string? deadLetterUrl)
    {
        var options = AwsEmulators.Options();
        options.Sqs.Queues["scrape-jobs"] = new SqsQueueAddress { Url = url, DeadLetterUrl = deadLetterUrl };

        Assert.False(AwsOptions.IsValid(options));
    }

    private SqsQueues Configured() => new(_client, new SqsOptions
    {
        QueuePrefix = "ignored-",
        Queues = { ["scrape-jobs"] = new SqsQueueAddress { Url = QueueUrl, DeadLetterUrl = DeadLetterUrl } },
    }, NullLogger<SqsQueues>.Instance);

    public void Dispose() => _client.Dispose();

    private void RespondToEnsure() =>
        _http.Respond(HttpStatusCode.OK, $$"""{"QueueUrl":"{{DeadLetterUrl}}"}""")
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{DeadLetterArn}}}"}}""")
            .Respond(HttpStatusCode.OK, $$"""{"QueueUrl":"{{QueueUrl}}"}""")
            .Respond(HttpStatusCode.OK, $$$"""{"Attributes":{"QueueArn":"{{{QueueArn}}}"}}""");

    private static string Depth(int visible, int notVisible, int delayed) =>
        $$$"""{"Attributes":{"ApproximateNumberOfMessages":"{{{visible}}}","ApproximateNumberOfMessagesNotVisible":"{{{notVisible}}}","ApproximateNumberOfMessagesDelayed":"{{{delayed}}}"}}""";

    /// <summary>The SDK checks each body against its MD5, so the canned answers carry the real one.</summary>
    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    private List<string> Targets() =>
        [.. _http.Requests.Select(r => r.Request.Headers.GetValues("X-Amz-Target").Single().Replace("AmazonSQS.", "", StringComparison.Ordinal))];

    private JsonNode Body(Index request) => JsonNode.Parse(_http.Requests[request].Body)!;

    private void AssertBody(Index request, string expected) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Body(request)), Body(request).ToJsonString());
}
