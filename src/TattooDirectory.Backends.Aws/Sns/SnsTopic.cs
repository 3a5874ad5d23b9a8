using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Core.Health;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Backends.Aws.Sns;

/// <summary>
/// The topics on SNS: Publish through the Query API (form body, XML answer) on the signed client.
/// Delivery, retries and dead letters are SNS's (its subscriptions' delivery and redrive policies),
/// so only the publish side of the port is here. On a FIFO topic (ARN ending <c>.fifo</c>) the
/// port's deduplication id becomes MessageDeduplicationId (SNS keeps it for 5 minutes, not for
/// ever as the Local outbox does) and every message of a topic shares one group, which keeps
/// publish order; a standard topic has no deduplication, so a replayed publish is delivered again.
/// </summary>
public sealed partial class SnsTopic(SignedHttpClient http, IOptions<AwsOptions> options, ILogger<SnsTopic> logger) : ITopic, IProbe
{
    private const string Service = "sns";
    private const string FifoSuffix = ".fifo";

    public Task<string> PublishAsync(string topic, Notification message, CancellationToken ct = default) =>
        PublishAsync(topic, message, deduplicationId: null, ct);

    public async Task<string> PublishAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var arn = TopicArn(topic);
        var xml = await CallAsync(Form(arn, topic, message, deduplicationId), ct);
        var id = Element(xml, "MessageId") ?? throw new InvalidDataException("SNS answered Publish without a MessageId.");
        LogPublished(logger, topic, id);
        return id;
    }

    /// <summary>
    /// Asks SNS for a topic's attributes: critical-alerts, the topic operators most need to reach,
    /// when this process knows it; else the first topic it is given (a deployed function is told
    /// only of the topics it publishes to).
    /// </summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) =>
        CallAsync([new("Action", "GetTopicAttributes"), new("Version", "2010-03-31"), new("TopicArn", ProbeTopicArn())], cancellationToken);

    private string ProbeTopicArn()
    {
        var sns = options.Value.Sns;
        return sns.TopicArns.Count == 0 || sns.TopicArns.ContainsKey(Topics.CriticalAlerts) || !string.IsNullOrEmpty(sns.TopicArnPrefix)
            ? TopicArn(Topics.CriticalAlerts)
            : sns.TopicArns.OrderBy(t => t.Key, StringComparer.Ordinal).First().Value;
    }

    private async Task<XDocument?> CallAsync(List<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var aws = options.Value;
        var response = await http.SendAsync(new SignedRequest(HttpMethod.Post, aws.Sns.Endpoint(Service, aws.Region), Service)
        {
            Body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"))),
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        }, ct);
        var xml = Parse(response.Body);
        return response.IsSuccess ? xml : throw Error(xml, response);
    }

    /// <summary>The topic's ARN from configuration.</summary>
    /// <exception cref="ArgumentException">the topic is not one of <see cref="Topics"/>.</exception>
    /// <exception cref="InvalidOperationException">no ARN is configured for it.</exception>
    internal string TopicArn(string topic)
    {
        if (!Topics.IsKnown(topic))
        {
            throw new ArgumentException($"Unknown topic '{topic}'.", nameof(topic));
        }

        var sns = options.Value.Sns;
        return sns.TopicArns.GetValueOrDefault(topic)
            ?? (string.IsNullOrEmpty(sns.TopicArnPrefix)
                ? throw new InvalidOperationException($"No SNS topic is configured for '{topic}': set Aws:Sns:TopicArns:{topic} or Aws:Sns:TopicArnPrefix.")
                : sns.TopicArnPrefix + topic);
    }

    /// <summary>The Publish parameters, attributes in name order so the body is the same for the same message.</summary>
    internal static List<KeyValuePair<string, string>> Form(string arn, string topic, Notification message, string? deduplicationId)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", arn),
            new("Message", message.Body),
        };
        if (!string.IsNullOrEmpty(message.Subject))
        {
            form.Add(new("Subject", message.Subject));
        }

        var n = 0;
        foreach (var (name, value) in (message.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var entry = $"MessageAttributes.entry.{++n}.";
            form.Add(new(entry + "Name", name));
            form.Add(new(entry + "Value.DataType", "String"));
            form.Add(new(entry + "Value.StringValue", value));
        }

        if (arn.EndsWith(FifoSuffix, StringComparison.Ordinal))
        {
            // Without a deduplication id every publish is its own message, as the port promises.
            form.Add(new("MessageGroupId", topic));
            form.Add(new("MessageDeduplicationId", deduplicationId ?? Guid.NewGuid().ToString("N")));
        }

        return form;
    }

    private static XDocument? Parse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : XDocument.Parse(Encoding.UTF8.GetString(body));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string? Element(XDocument? xml, string name) => xml?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>SNS's XML error: a parameter it refused is the caller's argument; anything else is an <see cref="AwsApiException"/>.</summary>
    private static Exception Error(XDocument? xml, SignedResponse response)
    {
        var code = Element(xml, "Code") ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var text = Element(xml, "Message") ?? "";
        return code is "InvalidParameter" or "InvalidParameterValue"
            ? new ArgumentException($"SNS refused the message: {text}")
            : new AwsApiException(Service, code, text, response.StatusCode);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published to SNS topic {Topic} as {MessageId}")]
    private static partial void LogPublished(ILogger logger, string topic, string messageId);
}
