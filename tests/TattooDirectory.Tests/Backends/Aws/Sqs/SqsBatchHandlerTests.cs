using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Tests.Backends.Aws.Sqs;

/// <summary>The queue consumer's Lambda entry point on the documented SQS event and partial batch response.</summary>
public sealed class SqsBatchHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_record_reaches_the_processor_as_a_queue_message_and_only_the_unsettled_ones_are_reported()
    {
        var processor = new Processor(m => m.Body switch
        {
            "poison" => false,
            "throws" => throw new InvalidOperationException("scraper broke"),
            _ => true,
        });

        var response = await Handler(processor).HandleAsync(Event(("m-1", "job 1", 1), ("m-2", "poison", 3), ("m-3", "throws", 1), ("m-4", "job 4", 2)), Ct);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m-3"}]}"""), JsonNode.Parse(response)), response);
        Assert.Equal(
            new QueueMessage("m-4", "AQEB-m-4", "job 4", 2, DateTimeOffset.FromUnixTimeMilliseconds(1545082649183), DateTimeOffset.FromUnixTimeMilliseconds(1545082649185)),
            processor.Seen["m-4"]);
        Assert.Equal(4, processor.Seen.Count);
    }

    [Fact]
    public async Task A_batch_that_all_succeeds_reports_no_failures()
    {
        var response = await Handler(new Processor(_ => true)).HandleAsync(Event(("m-1", "job", 1)), Ct);

        Assert.Equal("""{"batchItemFailures":[]}""", response);
    }

    [Fact]
    public async Task A_record_missing_its_attributes_fails_alone()
    {
        var sqsEvent = JsonNode.Parse(Event(("m-1", "job 1", 1), ("m-2", "job 2", 1)))!;
        sqsEvent["Records"]![1]!.AsObject().Remove("attributes");

        var response = await Handler(new Processor(_ => true)).HandleAsync(sqsEvent.ToJsonString(), Ct);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-2"}]}""", response);
    }

    [Theory]
    [InlineData("""{"Records":[{"body":"no id"}]}""")]
    [InlineData("""{"records":[]}""")]
    public async Task An_event_that_cannot_name_its_failures_fails_the_whole_batch(string sqsEvent) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => Handler(new Processor(_ => true)).HandleAsync(sqsEvent, Ct));

    private static SqsBatchHandler Handler(IQueueMessageProcessor processor) =>
        new(processor, Options.Create(new AwsOptions()), NullLogger<SqsBatchHandler>.Instance);

    /// <summary>The documented Lambda SQS event, one record per (id, body, receive count).</summary>
    private static string Event(params (string Id, string Body, int ReceiveCount)[] records) => new JsonObject
    {
        ["Records"] = new JsonArray([.. records.Select(r => (JsonNode)JsonNode.Parse($$"""
            {"messageId":"{{r.Id}}","receiptHandle":"AQEB-{{r.Id}}","body":{{JsonValue.Create(r.Body).ToJsonString()}},
             "attributes":{"ApproximateReceiveCount":"{{r.ReceiveCount}}","SentTimestamp":"1545082649183","SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082649185"},
             "messageAttributes":{},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs",
             "eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:scrape-jobs","awsRegion":"us-east-2"}
            """)!)]),
    }.ToJsonString();

    private sealed class Processor(Func<QueueMessage, bool> outcome) : IQueueMessageProcessor
    {
        public ConcurrentDictionary<string, QueueMessage> Seen { get; } = new();

        public Task<bool> ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
        {
            Seen[message.MessageId] = message;
            return Task.FromResult(outcome(message));
        }
    }
}
