namespace TattooDirectory.Backends.Aws.Sqs;

/// <summary>The <c>Aws:Sqs</c> section.</summary>
public sealed class SqsOptions : AwsServiceOptions
{
    /// <summary>
    /// Put before every queue name (and so before its DLQ's), so environments sharing an account
    /// keep apart: "prod-" makes the scrape queue "prod-scrape-jobs". The whole name must still fit
    /// SQS's 80 characters.
    /// </summary>
    public string QueuePrefix { get; set; } = "";

    /// <summary>
    /// Queues that already exist, by the app's queue name (the CDK stack creates the scrape queue
    /// and its DLQ with their settings): their URLs are used as they are, and nothing creates or
    /// reconfigures them, so a function needs no sqs:CreateQueue or sqs:SetQueueAttributes. A queue
    /// not listed here is created on first use as <see cref="QueuePrefix"/> + its name.
    /// </summary>
    public Dictionary<string, SqsQueueAddress> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many records of one Lambda SQS batch the batch handler works on at once.</summary>
    public int BatchConcurrency { get; set; } = 10;

    internal bool IsValid => QueuePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && BatchConcurrency >= 1
        && Queues.Values.All(q => IsAbsoluteUrl(q.Url) && IsAbsoluteUrl(q.DeadLetterUrl));

    private static bool IsAbsoluteUrl(string? value) => Uri.TryCreate(value, UriKind.Absolute, out _);
}

/// <summary>An existing queue and the DLQ its redrive policy names (<c>Aws:Sqs:Queues:&lt;name&gt;</c>).</summary>
public sealed class SqsQueueAddress
{
    public string? Url { get; set; }

    public string? DeadLetterUrl { get; set; }
}
