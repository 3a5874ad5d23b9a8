using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Aws.Sqs;

/// <summary>The work a queue consumer does with one message (the scrape worker's job, on AWS).</summary>
public interface IQueueMessageProcessor
{
    /// <summary>True when the message is settled (delete it); false to leave it for another delivery.</summary>
    Task<bool> ProcessAsync(QueueMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The entry point of a queue consumer's Lambda function (an SQS event source mapping with
/// <c>ReportBatchItemFailures</c>): takes the documented SQS event (<c>{"Records": [...]}</c>),
/// hands each record to the <see cref="IQueueMessageProcessor"/> as the port's
/// <see cref="QueueMessage"/> (receive count and times from its attributes), and answers
/// <c>{"batchItemFailures": [{"itemIdentifier": messageId}]}</c> for the records that failed or
/// asked for another delivery. Lambda deletes the rest; the failed ones come back after the
/// queue's visibility timeout and reach the DLQ after maxReceiveCount, as with the container worker.
/// </summary>
public sealed partial class SqsBatchHandler(IQueueMessageProcessor processor, IOptions<AwsOptions> options, ILogger<SqsBatchHandler> logger)
{
    /// <exception cref="System.Text.Json.JsonException">the event is not JSON.</exception>
    /// <exception cref="InvalidDataException">the event has no Records, or a record has no messageId (Lambda then retries the whole batch).</exception>
    public async Task<string> HandleAsync(string eventJson, CancellationToken cancellationToken)
    {
        var records = (JsonNode.Parse(eventJson)?["Records"] as JsonArray ?? throw new InvalidDataException("An SQS event has a Records array."))
            .Select((record, index) => (Index: index, Id: record?["messageId"]?.GetValue<string>() is { Length: > 0 } id ? id : throw new InvalidDataException($"SQS record {index} has no messageId."), Record: record!))
            .ToList();
        var failed = new ConcurrentBag<(int Index, string Id)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Sqs.BatchConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(records, parallel, async (entry, ct) =>
        {
            if (!await ProcessAsync(entry.Id, entry.Record, ct))
            {
                failed.Add((entry.Index, entry.Id));
            }
        });

        LogBatch(logger, records.Count, failed.Count);
        var failures = new JsonArray([.. failed.OrderBy(f => f.Index).Select(f => (JsonNode)new JsonObject { ["itemIdentifier"] = f.Id })]);
        return new JsonObject { ["batchItemFailures"] = failures }.ToJsonString();
    }

    private async Task<bool> ProcessAsync(string messageId, JsonNode record, CancellationToken ct)
    {
        try
        {
            return await processor.ProcessAsync(Message(messageId, record), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogRecordFailed(logger, messageId, e.GetType().Name);
            return false;
        }
    }

    private static QueueMessage Message(string messageId, JsonNode record)
    {
        var attributes = record["attributes"] ?? throw new InvalidDataException($"SQS record {messageId} has no attributes.");
        return new QueueMessage(
            messageId,
            record["receiptHandle"]?.GetValue<string>() ?? "",
            record["body"]?.GetValue<string>() ?? "",
            int.Parse(Attribute(attributes, "ApproximateReceiveCount"), NumberStyles.None, CultureInfo.InvariantCulture),
            Time(attributes, "SentTimestamp"),
            Time(attributes, "ApproximateFirstReceiveTimestamp"));
    }

    private static DateTimeOffset Time(JsonNode attributes, string name) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Attribute(attributes, name), NumberStyles.None, CultureInfo.InvariantCulture));

    private static string Attribute(JsonNode attributes, string name) =>
        attributes[name]?.GetValue<string>() ?? throw new InvalidDataException($"An SQS record has no {name} attribute.");

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS batch of {Records} records: {Failed} left for another delivery")]
    private static partial void LogBatch(ILogger logger, int records, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} failed ({Error}); left for another delivery")]
    private static partial void LogRecordFailed(ILogger logger, string messageId, string error);
}
