namespace TattooDirectory.Core.Notifications;

/// <summary>The named topics (architecture.md, Topic port); publishing to any other name is rejected.</summary>
public static class Topics
{
    public const string RemovalRequests = "removal-requests";
    public const string RemovalConfirmations = "removal-confirmations";
    public const string CriticalAlerts = "critical-alerts";
    public const string WarningAlerts = "warning-alerts";
    public const string AggregationReports = "aggregation-reports";

    public static IReadOnlyList<string> All { get; } =
        [RemovalRequests, RemovalConfirmations, CriticalAlerts, WarningAlerts, AggregationReports];

    public static bool IsKnown(string topic) => All.Contains(topic, StringComparer.Ordinal);
}

/// <summary>One notification as published (an SNS message: subject, body and string attributes).</summary>
public sealed record Notification(string Subject, string Body, IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>
/// Publish-side of the notification topics (SNS-shaped). A published message is durable when the
/// call returns: it is delivered at least once to every subscription the topic had at that moment,
/// even across a crash.
/// </summary>
public interface ITopic
{
    /// <summary>Publishes a message and returns its id (unique across all topics).</summary>
    /// <exception cref="ArgumentException">the topic is not one of <see cref="Topics"/>.</exception>
    Task<string> PublishAsync(string topic, Notification message, CancellationToken ct = default);

    /// <summary>
    /// Publishes at most once per (topic, <paramref name="deduplicationId"/>) (SNS FIFO's
    /// MessageDeduplicationId): a repeat returns the first message's id and publishes nothing. The
    /// outbox relay passes the outbox message id, so a relay that crashed between publishing and
    /// deleting its outbox item cannot publish twice.
    /// </summary>
    Task<string> PublishAsync(string topic, Notification message, string? deduplicationId, CancellationToken ct = default);
}
