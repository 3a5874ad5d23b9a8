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

    /// <summary>How many records of one Lambda SQS batch the batch handler works on at once.</summary>
    public int BatchConcurrency { get; set; } = 10;

    internal bool IsValid => QueuePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && BatchConcurrency >= 1;
}
