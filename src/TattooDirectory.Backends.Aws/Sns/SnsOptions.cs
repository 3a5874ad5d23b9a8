namespace TattooDirectory.Backends.Aws.Sns;

/// <summary>
/// The <c>Aws:Sns</c> section: where each named topic (Core's <c>Topics</c>) lives. An ARN in
/// <see cref="TopicArns"/> wins; otherwise the ARN is <see cref="TopicArnPrefix"/> followed by the
/// topic's name. A topic whose ARN ends in <c>.fifo</c> is published to as a FIFO topic.
/// </summary>
public sealed class SnsOptions : AwsServiceOptions
{
    public Dictionary<string, string> TopicArns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For example <c>arn:aws:sns:eu-west-2:123456789012:tattoo-</c>.</summary>
    public string? TopicArnPrefix { get; set; }

    internal bool IsValid => TopicArns.Values.All(v => !string.IsNullOrEmpty(v) && IsArnOrEmpty(v)) && IsArnOrEmpty(TopicArnPrefix);
}
