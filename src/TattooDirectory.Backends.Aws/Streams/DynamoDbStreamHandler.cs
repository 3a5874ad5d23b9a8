using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;

namespace TattooDirectory.Backends.Aws.Streams;

/// <summary>The Lambda partial batch response: the records to retry, by SequenceNumber.</summary>
public sealed record StreamBatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<BatchItemFailure> BatchItemFailures)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

/// <summary>
/// The stream-sync role on Lambda: takes the DynamoDB stream event (the batch Lambda read from
/// one shard, in order) and feeds it to the same <see cref="IndexSync"/> the shard poller feeds.
/// With <c>ReportBatchItemFailures</c> Lambda checkpoints before the first reported record and
/// retries from there, so every record from the first one that fails is reported: a poison
/// record (one that cannot be read as a change of the table), or the whole batch when the index
/// refuses it. Records before a poison one are applied first, so they are not retried.
/// </summary>
public sealed partial class DynamoDbStreamHandler(IndexSync sync, ILogger<DynamoDbStreamHandler> logger)
{
    public async Task<StreamBatchResponse> HandleAsync(JsonElement streamEvent, CancellationToken cancellationToken = default)
    {
        if (!streamEvent.TryGetProperty("Records", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new StreamRecordException("The event has no Records array: it is not a DynamoDB stream event.");
        }

        var records = list.EnumerateArray().ToList();
        // Every record needs its identifier before anything is applied: without one Lambda could not be told what to retry.
        var identifiers = records.Select(StreamRecords.SequenceNumberOf).ToList();
        var changes = new List<ChangeRecord>(records.Count);
        var firstFailed = records.Count;
        for (var i = 0; i < records.Count; i++)
        {
            try
            {
                if (StreamRecords.ToChange(records[i], StreamRecords.SequenceOf(identifiers[i])) is { } change) changes.Add(change);
            }
            catch (StreamRecordException ex)
            {
                LogPoison(logger, identifiers[i], ex.Message);
                firstFailed = i;
                break;
            }
        }

        try
        {
            var pass = await sync.ApplyAsync(changes, cancellationToken);
            LogApplied(logger, records.Count, pass.Applied, pass.DeadLettered, records.Count - firstFailed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBatchFailed(logger, records.Count, ex.GetType().Name);
            firstFailed = 0;
        }

        return new StreamBatchResponse([.. identifiers.Skip(firstFailed).Select(id => new BatchItemFailure(id))]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream record {SequenceNumber} is poison: {Reason}; it and the records after it are reported for retry")]
    private static partial void LogPoison(ILogger logger, string sequenceNumber, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream batch of {Records} records: {Applied} index writes, {DeadLettered} dead-lettered, {Failed} reported failed")]
    private static partial void LogApplied(ILogger logger, int records, int applied, int deadLettered, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream batch of {Records} records failed ({ErrorType}); all of it is reported for retry")]
    private static partial void LogBatchFailed(ILogger logger, int records, string errorType);
}
