using TattooDirectory.Backends.Local.Notifications;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Hands one message to one subscription's endpoint. Returning means delivered; throwing means
/// this try failed and the dispatcher retries later. One implementation per
/// <see cref="SubscriptionKind"/>, registered as a keyed service under that kind.
/// </summary>
internal interface INotificationDeliverer
{
    Task DeliverAsync(OutboxMessage delivery, SubscriptionOptions subscription, CancellationToken ct);
}

/// <summary>
/// A failed try, with a reason that is safe to store in the dead-letter table and to log: a
/// status or a kind of error, never message content or an address.
/// </summary>
internal sealed class DeliveryFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
