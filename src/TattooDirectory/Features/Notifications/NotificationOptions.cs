using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Features.Notifications;

public enum SubscriptionKind
{
    Log,
    Webhook,
    Email,
}

/// <summary>Where notifications go, bound from the <c>Notifications</c> section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Subscriptions by name; the name identifies the subscriber to the topic, so renaming one starts it afresh.</summary>
    public Dictionary<string, SubscriptionOptions> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The subscriptions in force: configuration cannot delete an inherited entry (such as the default log), only disable it.</summary>
    public IEnumerable<KeyValuePair<string, SubscriptionOptions>> Enabled => Subscriptions.Where(s => s.Value.Enabled);
}

public sealed class SubscriptionOptions
{
    public const string AllTopics = "*";

    /// <summary>Topic names (<see cref="Core.Notifications.Topics"/>), or <c>*</c> for all of them.</summary>
    public List<string> Topics { get; set; } = [];

    public SubscriptionKind? Kind { get; set; }

    /// <summary>False turns the subscription off (and skips its validation) without deleting its settings.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Webhook: the absolute http(s) URL that receives the POST.</summary>
    public string? Url { get; set; }

    /// <summary>Webhook: the HMAC-SHA256 key of the signature header (at least 16 characters).</summary>
    public string? Secret { get; set; }

    /// <summary>Email: a fixed recipient address.</summary>
    public string? To { get; set; }

    /// <summary>Email: the message attribute that holds the recipient (e.g. <c>email</c> for requester confirmations).</summary>
    public string? ToAttribute { get; set; }

    public IReadOnlyList<string> ResolvedTopics() =>
        Topics.Contains(AllTopics, StringComparer.Ordinal) ? Core.Notifications.Topics.All : [.. Topics.Distinct(StringComparer.Ordinal)];
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public bool StartTls { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
}

/// <summary>
/// Checks the whole section on start, so a subscription that could never deliver stops the app
/// with a message naming it, instead of filling the dead-letter table later.
/// </summary>
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        foreach (var (subscriber, subscription) in options.Enabled)
        {
            var at = $"{NotificationOptions.Section}:Subscriptions:{subscriber}";
            if (!SubscriberName().IsMatch(subscriber))
            {
                failures.Add($"{at}: a subscription name has 1–64 letters, digits, '.', '_' or '-'.");
            }

            failures.AddRange(TopicFailures(at, subscription));
            failures.AddRange(subscription.Kind switch
            {
                null => [$"{at}:Kind is required (log, webhook or email)."],
                SubscriptionKind.Webhook => WebhookFailures(at, subscription),
                SubscriptionKind.Email => EmailFailures(at, subscription, options.Smtp),
                _ => [],
            });
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Distinct(StringComparer.Ordinal));
    }

    private static IEnumerable<string> TopicFailures(string at, SubscriptionOptions subscription)
    {
        if (subscription.Topics.Count == 0)
        {
            yield return $"{at}:Topics needs at least one topic name or '*'.";
        }

        foreach (var topic in subscription.Topics.Where(t => t != SubscriptionOptions.AllTopics && !Topics.IsKnown(t)))
        {
            yield return $"{at}:Topics: '{topic}' is not a topic (known: {string.Join(", ", Topics.All)}, or '*').";
        }
    }

    private static IEnumerable<string> WebhookFailures(string at, SubscriptionOptions subscription)
    {
        if (!Uri.TryCreate(subscription.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{at}:Url must be an absolute http or https URL for a webhook.";
        }

        if (subscription.Secret is not { Length: >= MinSecretLength })
        {
            yield return $"{at}:Secret must be at least {MinSecretLength} characters for a webhook (it signs every request).";
        }
    }

    private static IEnumerable<string> EmailFailures(string at, SubscriptionOptions subscription, SmtpOptions smtp)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            yield return $"{at}: an email subscription needs {NotificationOptions.Section}:Smtp:Host.";
        }

        if (!IsAddress(smtp.From))
        {
            yield return $"{at}: an email subscription needs {NotificationOptions.Section}:Smtp:From, a valid sender address.";
        }

        if (smtp.Port is < 1 or > 65535)
        {
            yield return $"{NotificationOptions.Section}:Smtp:Port must be from 1 to 65535.";
        }

        var hasTo = !string.IsNullOrWhiteSpace(subscription.To);
        var hasAttribute = !string.IsNullOrWhiteSpace(subscription.ToAttribute);
        if (hasTo == hasAttribute)
        {
            yield return $"{at}: an email subscription needs exactly one of To (a fixed address) or ToAttribute (the message attribute holding the address).";
        }
        else if (hasTo && !IsAddress(subscription.To))
        {
            yield return $"{at}:To is not a valid email address.";
        }
    }

    private static bool IsAddress(string? address) => EmailDeliverer.TryParseAddress(address, out _);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SubscriberName();
}
