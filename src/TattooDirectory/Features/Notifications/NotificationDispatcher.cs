using System.Diagnostics;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Drains the Local topic's due deliveries and hands each to its subscription's deliverer: a
/// success is marked delivered, a failure is due again after an exponential backoff (2^tries s,
/// at most 5 min) and is dead-lettered by the topic at its last try. It sleeps until a publish
/// rings the topic's doorbell or a second passes, which is also when retries fall due.
/// Subscribers are served concurrently, each in publish order, and a subscriber's first failure
/// ends its turn in the pass, so an endpoint that is down costs one timeout per pass, not one
/// per waiting message, before the log and the mail get their next pass.
/// </summary>
internal sealed partial class NotificationDispatcher(
    SqliteTopic topic,
    IOptions<NotificationOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider time,
    WorkerHeartbeats heartbeats,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const int BatchSize = 100;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>How long after its <paramref name="failures"/>th failed try a delivery is tried again.</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures), MaxBackoff.TotalSeconds));

    // A failed pass is the topic's own failure (its file, not an endpoint): nothing was marked,
    // so the same deliveries come back on the next pass.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => heartbeats.RunAsync("notification-dispatcher", WorkerLoop.QuietLimit, beat =>
        WorkerLoop.RunAsync(PassAsync, (ex, pause) => LogPassFailed(logger, ex.GetType().Name, pause.TotalMilliseconds), time, beat, stoppingToken), stoppingToken);

    private async Task PassAsync(CancellationToken ct)
    {
        var mark = topic.PublishMark;
        var tried = await DispatchOnceAsync(ct);
        if (tried < BatchSize) await topic.WaitForPublishAsync(mark, PollInterval, ct);
    }

    /// <summary>Tries every delivery due now (up to a batch); returns how many it tried.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity("notifications.dispatch");
        var due = await topic.PendingAsync(BatchSize, ct);
        activity?.SetTag("notifications.due", due.Count);
        if (due.Count == 0) return 0;

        await using var scope = scopes.CreateAsyncScope();
        await Parallel.ForEachAsync(
            due.GroupBy(d => d.Subscriber, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (deliveries, token) =>
            {
                foreach (var delivery in deliveries)
                {
                    // An endpoint that just failed is probably down: its other deliveries stay due
                    // for the next pass rather than each waiting out a timeout now.
                    if (!await DeliverAsync(scope.ServiceProvider, delivery, token)) break;
                }
            });
        return due.Count;
    }

    /// <summary>One try; false when it failed (and was recorded as failed).</summary>
    private async Task<bool> DeliverAsync(IServiceProvider services, OutboxMessage delivery, CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity("notifications.deliver");
        activity?.SetTag("notification.topic", delivery.Topic);
        activity?.SetTag("notification.id", delivery.Id);
        activity?.SetTag("notification.subscriber", delivery.Subscriber);
        try
        {
            // A subscriber dropped from configuration after its deliveries were owed is
            // unsubscribed on the next start; until then its deliveries fail into the dead letters.
            var subscription = options.Value.Subscriptions.GetValueOrDefault(delivery.Subscriber) is { Enabled: true } configured
                ? configured
                : throw new DeliveryFailedException("the subscription is no longer configured");
            var deliverer = services.GetRequiredKeyedService<INotificationDeliverer>(subscription.Kind);
            await deliverer.DeliverAsync(delivery, subscription, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            await RecordFailureAsync(delivery, ex, ct);
            activity?.SetStatus(ActivityStatusCode.Error);
            return false;
        }

        await topic.MarkDeliveredAsync(delivery.Id, delivery.Subscriber, ct);
        return true;
    }

    private async Task RecordFailureAsync(OutboxMessage delivery, Exception ex, CancellationToken ct)
    {
        // Only our own reasons are stored and logged: other exception messages may quote an
        // address or a response body.
        var reason = ex is DeliveryFailedException ? ex.Message : ex.GetType().Name;
        var failures = delivery.Attempts + 1;
        var retryAt = time.GetUtcNow() + Backoff(failures);
        await topic.RecordFailureAsync(delivery.Id, delivery.Subscriber, reason, retryAt, ct);
        if (failures >= topic.MaxAttempts)
        {
            LogDeadLettered(logger, delivery.Id, delivery.Topic, delivery.Subscriber, failures, reason);
        }
        else
        {
            LogRetrying(logger, delivery.Id, delivery.Topic, delivery.Subscriber, failures, reason, retryAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {MessageId} on {Topic} to {Subscriber} failed (try {Attempt}: {Reason}); retrying at {RetryAt:O}")]
    private static partial void LogRetrying(ILogger logger, string messageId, string topic, string subscriber, int attempt, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {MessageId} on {Topic} to {Subscriber} dead-lettered after {Attempts} tries (last: {Reason})")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string topic, string subscriber, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification dispatch pass failed ({ErrorType}); retrying in {BackoffMs} ms")]
    private static partial void LogPassFailed(ILogger logger, string errorType, double backoffMs);
}
