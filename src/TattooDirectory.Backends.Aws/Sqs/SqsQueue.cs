using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Aws.Sqs;

/// <summary>
/// One queue of <see cref="SqsQueues"/>: SQS itself keeps the semantics of <see cref="IQueue"/>
/// (visibility, receive counts, the move to the DLQ after maxReceiveCount, retention); this class
/// checks arguments against <see cref="QueueLimits"/> first and maps SQS's answers to the port's.
/// </summary>
public sealed class SqsQueue : IQueue
{
    private static readonly List<string> ReceiveAttributes =
        [MessageSystemAttributeName.ApproximateReceiveCount, MessageSystemAttributeName.SentTimestamp, MessageSystemAttributeName.ApproximateFirstReceiveTimestamp];

    private static readonly List<string> DepthAttributes =
        [QueueAttributeName.ApproximateNumberOfMessages, QueueAttributeName.ApproximateNumberOfMessagesNotVisible, QueueAttributeName.ApproximateNumberOfMessagesDelayed];

    private readonly IAmazonSQS _sqs;
    private readonly string _physicalName;
    private readonly SqsQueueAddress? _address;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<SqsQueuePair>? _pair;

    internal SqsQueue(IAmazonSQS sqs, string name, string physicalName, SqsQueueAddress? address, QueueSettings settings, ILogger logger)
    {
        _sqs = sqs;
        _physicalName = physicalName;
        _address = address;
        _logger = logger;
        Name = name;
        Settings = settings;
    }

    public string Name { get; }

    public QueueSettings Settings { get; }

    public async Task<SendBatchResult> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        var ids = QueueLimits.ValidateBatch(messages);
        var response = await CallAsync(pair => _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = pair.QueueUrl,
            Entries = [.. messages.Select((m, i) => new SendMessageBatchRequestEntry { Id = ids[i], MessageBody = m.Body, DelaySeconds = (int)m.Delay.TotalSeconds })],
        }, cancellationToken), cancellationToken);

        // SQS lists the entries in no promised order; the port reports them in the batch's.
        var order = ids.Select((id, i) => (id, i)).ToDictionary(e => e.id, e => e.i, StringComparer.Ordinal);
        return new SendBatchResult(
            [.. (response.Successful ?? []).OrderBy(s => order.GetValueOrDefault(s.Id)).Select(s => new SentMessage(s.Id, s.MessageId))],
            [.. (response.Failed ?? []).OrderBy(f => order.GetValueOrDefault(f.Id)).Select(f => new FailedSend(f.Id, f.Code, f.Message ?? "", f.SenderFault ?? false))]);
    }

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateReceive(maxMessages, waitTime, visibilityTimeout);
        var response = await CallAsync(pair => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = pair.QueueUrl,
            MaxNumberOfMessages = maxMessages,
            WaitTimeSeconds = (int)waitTime.TotalSeconds,
            VisibilityTimeout = visibilityTimeout is { } timeout ? (int)timeout.TotalSeconds : null,
            MessageSystemAttributeNames = ReceiveAttributes,
        }, cancellationToken), cancellationToken);
        return [.. (response.Messages ?? []).Select(m => new QueueMessage(
            m.MessageId, m.ReceiptHandle, m.Body, ReceiveCount(m), Timestamp(m, MessageSystemAttributeName.SentTimestamp), Timestamp(m, MessageSystemAttributeName.ApproximateFirstReceiveTimestamp)))];
    }

    public async Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken = default)
    {
        RequireHandle(receiptHandle);
        try
        {
            await CallAsync(pair => _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = pair.QueueUrl, ReceiptHandle = receiptHandle }, cancellationToken), cancellationToken);
        }
        catch (AmazonSQSException e) when (IsExpiredHandle(e))
        {
            // A stale delivery: the message was received again or is gone, so nothing of ours to delete.
        }
        catch (ReceiptHandleIsInvalidException e)
        {
            throw new ArgumentException("SQS does not know this receipt handle.", nameof(receiptHandle), e);
        }
    }

    public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidateVisibilityTimeout(visibilityTimeout);
        RequireHandle(receiptHandle);
        try
        {
            await CallAsync(pair => _sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
            {
                QueueUrl = pair.QueueUrl,
                ReceiptHandle = receiptHandle,
                VisibilityTimeout = (int)visibilityTimeout.TotalSeconds,
            }, cancellationToken), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is MessageNotInflightException || (e is AmazonSQSException sqs && IsExpiredHandle(sqs)))
        {
            return false;
        }
        catch (ReceiptHandleIsInvalidException e)
        {
            throw new ArgumentException("SQS does not know this receipt handle.", nameof(receiptHandle), e);
        }
        catch (AmazonSQSException e) when (e.ErrorCode is "InvalidParameterValue")
        {
            // The other InvalidParameterValue here: the total visibility would pass 12 h after the receive.
            throw new ArgumentException(e.Message, nameof(visibilityTimeout), e);
        }
    }

    /// <summary>
    /// A receive on the DLQ with visibility 0, which leaves the messages where they are. SQS counts
    /// that receive too, so <see cref="DeadLetterMessage.ReceiveCount"/> is the count before this
    /// peek (earlier peeks included: SQS keeps counting on the DLQ).
    /// </summary>
    public async Task<IReadOnlyList<DeadLetterMessage>> PeekDeadLettersAsync(int maxMessages, CancellationToken cancellationToken = default)
    {
        QueueLimits.ValidatePeek(maxMessages);
        var response = await CallAsync(pair => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = pair.DeadLetterUrl,
            MaxNumberOfMessages = maxMessages,
            WaitTimeSeconds = 0,
            VisibilityTimeout = 0,
            MessageSystemAttributeNames = ReceiveAttributes,
        }, cancellationToken), cancellationToken);
        return [.. (response.Messages ?? []).Select(m => new DeadLetterMessage(m.MessageId, m.Body, Math.Max(0, ReceiveCount(m) - 1), Timestamp(m, MessageSystemAttributeName.SentTimestamp)))];
    }

    /// <summary>
    /// StartMessageMoveTask from the DLQ back to the queue, when the DLQ holds anything. The move
    /// runs on in SQS; the count is the DLQ's approximate depth when it started.
    /// </summary>
    public async Task<int> RedriveAsync(CancellationToken cancellationToken = default)
    {
        var pair = await PairAsync(cancellationToken);
        var waiting = Total(await DepthAsync(pair.DeadLetterUrl, cancellationToken));
        if (waiting == 0)
        {
            return 0;
        }

        var source = pair.DeadLetterArn ?? await SqsQueuePair.ArnAsync(_sqs, pair.DeadLetterUrl, cancellationToken);
        var destination = pair.QueueArn ?? await SqsQueuePair.ArnAsync(_sqs, pair.QueueUrl, cancellationToken);
        await CallAsync(_ => _sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = source, DestinationArn = destination }, cancellationToken), cancellationToken);
        _logger.RedriveStarted(Name, waiting);
        return waiting;
    }

    /// <summary>
    /// The approximate depths from GetQueueAttributes. SQS has no attribute for the age of the
    /// oldest message (that is the CloudWatch metric ApproximateAgeOfOldestMessage, which the
    /// CloudWatch alarms read), so <see cref="QueueStats.OldestMessageAge"/> is always null here.
    /// </summary>
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var pair = await PairAsync(cancellationToken);
        var (visible, inFlight, delayed) = await DepthAsync(pair.QueueUrl, cancellationToken);
        return new QueueStats(visible, inFlight, delayed, Total(await DepthAsync(pair.DeadLetterUrl, cancellationToken)), OldestMessageAge: null);
    }

    public async Task PurgeAsync(CancellationToken cancellationToken = default)
    {
        var pair = await PairAsync(cancellationToken);
        foreach (var url in new[] { pair.QueueUrl, pair.DeadLetterUrl })
        {
            try
            {
                await CallAsync(_ => _sqs.PurgeQueueAsync(new PurgeQueueRequest { QueueUrl = url }, cancellationToken), cancellationToken);
            }
            catch (PurgeQueueInProgressException)
            {
                // SQS allows one purge a minute per queue; the one running is removing the same messages.
            }
        }
    }

    private async Task<(int Visible, int InFlight, int Delayed)> DepthAsync(string url, CancellationToken ct)
    {
        var response = await CallAsync(_ => _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = DepthAttributes }, ct), ct);
        return (response.ApproximateNumberOfMessages, response.ApproximateNumberOfMessagesNotVisible, response.ApproximateNumberOfMessagesDelayed);
    }

    private static int Total((int Visible, int InFlight, int Delayed) depth) => depth.Visible + depth.InFlight + depth.Delayed;

    /// <summary>
    /// Runs one SQS call with the queue pair's URLs. When SQS says the queue is gone (deleted
    /// behind our back), the pair is forgotten so the next call creates it again.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<SqsQueuePair, Task<T>> call, CancellationToken ct)
    {
        var pair = await PairAsync(ct);
        try
        {
            return await call(pair);
        }
        catch (QueueDoesNotExistException)
        {
            lock (_gate)
            {
                if (_pair is { IsCompletedSuccessfully: true } known && known.Result == pair)
                {
                    _pair = null;
                }
            }

            _logger.QueueMissing(Name);
            throw;
        }
    }

    /// <summary>The pair, ensured once and shared; a failed attempt is not kept, so the next call tries again.</summary>
    private Task<SqsQueuePair> PairAsync(CancellationToken ct)
    {
        Task<SqsQueuePair> pair;
        lock (_gate)
        {
            if (_pair is null || _pair.IsFaulted || _pair.IsCanceled)
            {
                // Not the caller's token: one caller giving up must not fail the others waiting on it.
                _pair = _address is null
                    ? SqsQueuePair.EnsureAsync(_sqs, _physicalName, Settings, _logger, CancellationToken.None)
                    : Task.FromResult(SqsQueuePair.Given(_address));
            }

            pair = _pair;
        }

        return pair.WaitAsync(ct);
    }

    private static void RequireHandle(string receiptHandle)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        if (string.IsNullOrWhiteSpace(receiptHandle))
        {
            throw new ArgumentException("A receipt handle is not empty.", nameof(receiptHandle));
        }
    }

    /// <summary>SQS's answer for a handle from an earlier delivery: InvalidParameterValue, "The receipt handle has expired".</summary>
    private static bool IsExpiredHandle(AmazonSQSException e) =>
        e.ErrorCode is "InvalidParameterValue" && e.Message.Contains("receipt handle has expired", StringComparison.OrdinalIgnoreCase);

    private static int ReceiveCount(Message message) =>
        int.Parse(Attribute(message, MessageSystemAttributeName.ApproximateReceiveCount), NumberStyles.None, CultureInfo.InvariantCulture);

    private static DateTimeOffset Timestamp(Message message, string attribute) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Attribute(message, attribute), NumberStyles.None, CultureInfo.InvariantCulture));

    private static string Attribute(Message message, string name) =>
        message.Attributes?.GetValueOrDefault(name) ?? throw new InvalidDataException($"SQS returned message {message.MessageId} without its {name} attribute.");
}
