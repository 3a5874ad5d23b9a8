using System.Text;

namespace TattooDirectory.Core.Queues;

/// <summary>
/// The SQS limits every <see cref="IQueue"/> adapter enforces before doing anything, so a call
/// that works locally cannot fail on AWS for its arguments. Durations are whole seconds because
/// SQS takes integer seconds: a fraction would be rounded differently by each backend.
/// </summary>
public static class QueueLimits
{
    public const int MaxBatchEntries = 10;
    public const int MaxReceiveMessages = 10;

    /// <summary>256 KiB of UTF-8, for one message and for a whole batch.</summary>
    public const int MaxPayloadBytes = 262_144;

    public const int MaxEntryIdLength = 80;
    public const string DeadLetterSuffix = "-dlq";

    /// <summary>SQS allows 80 characters; the DLQ's suffix must still fit.</summary>
    public const int MaxQueueNameLength = 80 - 4;

    public const int MaxMaxReceiveCount = 1000;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);
    public static readonly TimeSpan MinRetention = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(14);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxQueueNameLength || !IsToken(name))
        {
            throw new ArgumentException($"A queue name is 1 – {MaxQueueNameLength} letters, digits, '-' or '_'.", nameof(name));
        }

        if (name.EndsWith(DeadLetterSuffix, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Names ending in '{DeadLetterSuffix}' belong to dead-letter queues.", nameof(name));
        }
    }

    public static void Validate(QueueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RequireSeconds(settings.VisibilityTimeout, TimeSpan.Zero, MaxVisibilityTimeout, nameof(settings));
        RequireSeconds(settings.Retention, MinRetention, MaxRetention, nameof(settings));
        if (settings.MaxReceiveCount is < 1 or > MaxMaxReceiveCount)
        {
            throw new ArgumentException($"MaxReceiveCount must be 1 – {MaxMaxReceiveCount}.", nameof(settings));
        }
    }

    /// <summary>Checks a batch as SendMessageBatch would and returns each entry's id (its index when it has none).</summary>
    public static IReadOnlyList<string> ValidateBatch(IReadOnlyList<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count is 0 or > MaxBatchEntries)
        {
            throw new ArgumentException($"A batch holds 1 – {MaxBatchEntries} messages.", nameof(messages));
        }

        var ids = new string[messages.Count];
        var total = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException("A batch entry is null.", nameof(messages));
            ids[i] = message.Id ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ids[i].Length is 0 or > MaxEntryIdLength || !IsToken(ids[i]))
            {
                throw new ArgumentException($"Entry id '{ids[i]}' is not 1 – {MaxEntryIdLength} letters, digits, '-' or '_'.", nameof(messages));
            }

            RequireSeconds(message.Delay, TimeSpan.Zero, MaxDelay, nameof(messages));
            total += BodyBytes(message.Body);
        }

        if (total > MaxPayloadBytes)
        {
            throw new ArgumentException($"The batch carries {total} bytes; at most {MaxPayloadBytes} are allowed.", nameof(messages));
        }

        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
        {
            throw new ArgumentException("Entry ids must be distinct within a batch.", nameof(messages));
        }

        return ids;
    }

    public static void ValidateReceive(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout)
    {
        if (maxMessages is < 1 or > MaxReceiveMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"Receive 1 – {MaxReceiveMessages} messages at a time.");
        }

        RequireSeconds(waitTime, TimeSpan.Zero, MaxWaitTime, nameof(waitTime));
        if (visibilityTimeout is { } timeout)
        {
            ValidateVisibilityTimeout(timeout);
        }
    }

    public static void ValidatePeek(int maxMessages)
    {
        if (maxMessages is < 1 or > MaxReceiveMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"Peek 1 – {MaxReceiveMessages} messages at a time.");
        }
    }

    public static void ValidateVisibilityTimeout(TimeSpan visibilityTimeout) =>
        RequireSeconds(visibilityTimeout, TimeSpan.Zero, MaxVisibilityTimeout, nameof(visibilityTimeout));

    /// <summary>The body's size in UTF-8 bytes, after checking it is 1 or more characters SQS accepts (XML 1.0 characters).</summary>
    private static int BodyBytes(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw new ArgumentException("A message body needs at least one character.", nameof(body));
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(body);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("A message body holds an unpaired surrogate.", nameof(body), e);
        }

        // Surrogates were paired above, so only the BMP ranges SQS refuses are left to check.
        foreach (var c in body)
        {
            if (c is < '\u0020' and not ('\t' or '\n' or '\r') or '\uFFFE' or '\uFFFF')
            {
                throw new ArgumentException($"A message body may not contain U+{(int)c:X4}.", nameof(body));
            }
        }

        return bytes > MaxPayloadBytes
            ? throw new ArgumentException($"A message body carries {bytes} bytes; at most {MaxPayloadBytes} are allowed.", nameof(body))
            : bytes;
    }

    private static void RequireSeconds(TimeSpan value, TimeSpan min, TimeSpan max, string parameter)
    {
        if (value < min || value > max || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"Must be whole seconds from {min} to {max}.");
        }
    }

    private static bool IsToken(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
