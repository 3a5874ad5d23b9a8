using TattooDirectory.Backends.Local.Notifications;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Writes a line per message. Only the topic, id and subject: bodies and attributes can carry a
/// requester's contact details, which must never reach the logs (subjects never do, by rule).
/// </summary>
internal sealed partial class LogDeliverer(ILogger<LogDeliverer> logger) : INotificationDeliverer
{
    public Task DeliverAsync(OutboxMessage delivery, SubscriptionOptions subscription, CancellationToken ct)
    {
        LogNotification(logger, delivery.Topic, delivery.Id, delivery.Message.Subject);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification on {Topic} ({MessageId}): {Subject}")]
    private static partial void LogNotification(ILogger logger, string topic, string messageId, string subject);
}
