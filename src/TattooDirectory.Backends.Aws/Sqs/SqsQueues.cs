using Amazon.SQS;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Backends.Aws.Sqs;

/// <summary>
/// The queues on SQS: a queue listed in <see cref="SqsOptions.Queues"/> is used at its URLs as it
/// is; any other named queue is the SQS queue <c>{prefix}{name}</c> with the DLQ
/// <c>{prefix}{name}-dlq</c> as its redrive target. <see cref="Get"/> only checks the name and
/// settings (the port's Get is synchronous); an unlisted queue pair is created, or brought to the
/// settings, on the first call that needs its URL, as a restart applies changed settings on the Local backend.
/// </summary>
public sealed class SqsQueues(IAmazonSQS sqs, SqsOptions options, ILogger<SqsQueues> logger) : IQueues
{
    /// <summary>SQS's limit on a queue name, which the prefix and the DLQ suffix must fit in too.</summary>
    private const int MaxSqsNameLength = 80;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SqsQueue> _queues = new(StringComparer.Ordinal);

    IQueue IQueues.Get(string name, QueueSettings settings) => Get(name, settings);

    /// <inheritdoc cref="IQueues.Get"/>
    public SqsQueue Get(string name, QueueSettings settings)
    {
        QueueLimits.ValidateName(name);
        QueueLimits.Validate(settings);
        var address = options.Queues.GetValueOrDefault(name);
        var physical = options.QueuePrefix + name;
        if (address is null && physical.Length + QueueLimits.DeadLetterSuffix.Length > MaxSqsNameLength)
        {
            throw new ArgumentException($"With the prefix '{options.QueuePrefix}', queue '{name}' and its DLQ do not fit SQS's {MaxSqsNameLength} characters.", nameof(name));
        }

        lock (_gate)
        {
            if (_queues.TryGetValue(name, out var open))
            {
                return open.Settings == settings
                    ? open
                    : throw new ArgumentException($"Queue '{name}' is already open with other settings ({open.Settings}).", nameof(settings));
            }

            var queue = new SqsQueue(sqs, name, physical, address, settings, logger);
            _queues.Add(name, queue);
            return queue;
        }
    }
}
