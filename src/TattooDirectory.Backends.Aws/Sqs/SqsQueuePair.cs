using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Aws.Sqs;

/// <summary>
/// The URLs and ARNs of a queue and its DLQ, once both exist with the queue's settings. The ARNs
/// of a configured pair are unknown (null) until a redrive needs them.
/// </summary>
internal sealed record SqsQueuePair(string QueueUrl, string? QueueArn, string DeadLetterUrl, string? DeadLetterArn)
{
    /// <summary>A pair that exists already, at the configured URLs.</summary>
    public static SqsQueuePair Given(SqsQueueAddress address) => new(address.Url!, null, address.DeadLetterUrl!, null);

    /// <summary>
    /// Creates the DLQ and then the queue with its RedrivePolicy (CreateQueue returns the URL of a
    /// queue that already exists with the same attributes). A queue that exists with other
    /// attributes (QueueNameExists) gets the settings with SetQueueAttributes, so a changed
    /// setting applies when the process restarts, as it does on the Local backend.
    /// </summary>
    public static async Task<SqsQueuePair> EnsureAsync(IAmazonSQS sqs, string name, QueueSettings settings, ILogger logger, CancellationToken ct)
    {
        var retention = Seconds(settings.Retention);
        var deadLetterUrl = await CreateOrUpdateAsync(sqs, name + QueueLimits.DeadLetterSuffix, new() { [QueueAttributeName.MessageRetentionPeriod] = retention }, logger, ct);
        var deadLetterArn = await ArnAsync(sqs, deadLetterUrl, ct);
        var redrive = JsonSerializer.Serialize(new RedrivePolicy(deadLetterArn, settings.MaxReceiveCount), SqsJson.Default.RedrivePolicy);
        var queueUrl = await CreateOrUpdateAsync(sqs, name, new()
        {
            [QueueAttributeName.VisibilityTimeout] = Seconds(settings.VisibilityTimeout),
            [QueueAttributeName.MessageRetentionPeriod] = retention,
            [QueueAttributeName.RedrivePolicy] = redrive,
        }, logger, ct);
        return new SqsQueuePair(queueUrl, await ArnAsync(sqs, queueUrl, ct), deadLetterUrl, deadLetterArn);
    }

    private static async Task<string> CreateOrUpdateAsync(IAmazonSQS sqs, string name, Dictionary<string, string> attributes, ILogger logger, CancellationToken ct)
    {
        try
        {
            return (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes }, ct)).QueueUrl;
        }
        catch (QueueNameExistsException)
        {
            var url = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, ct)).QueueUrl;
            await sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = attributes }, ct);
            logger.QueueSettingsApplied(name);
            return url;
        }
    }

    public static async Task<string> ArnAsync(IAmazonSQS sqs, string url, CancellationToken ct) =>
        (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = [QueueAttributeName.QueueArn] }, ct)).QueueARN;

    private static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}

internal sealed record RedrivePolicy(string DeadLetterTargetArn, int MaxReceiveCount);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RedrivePolicy))]
internal sealed partial class SqsJson : System.Text.Json.Serialization.JsonSerializerContext;

internal static partial class SqsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SQS queue {Queue} existed with other attributes; set them to the configured settings")]
    public static partial void QueueSettingsApplied(this ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS queue {Queue} does not exist; the next call creates it again")]
    public static partial void QueueMissing(this ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started moving about {Count} messages from the DLQ of {Queue} back to it")]
    public static partial void RedriveStarted(this ILogger logger, string queue, int count);
}
