using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Makes the topic's stored subscriptions match configuration before anything is relayed or
/// dispatched: configured pairs are subscribed, pairs no longer configured (or disabled) are
/// unsubscribed and stop being owed their pending deliveries.
/// </summary>
internal sealed partial class SubscriptionReconciler(SqliteTopic topic, IOptions<NotificationOptions> options, ILogger<SubscriptionReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var wanted = options.Value.Enabled
            .SelectMany(s => s.Value.ResolvedTopics().Select(topicName => new TopicSubscription(topicName, s.Key)))
            .ToHashSet();
        // A topic dropped from the code cannot be addressed any more; its rows are inert.
        var stored = (await topic.SubscriptionsAsync(cancellationToken)).Where(s => Topics.IsKnown(s.Topic)).ToHashSet();
        foreach (var gone in stored.Except(wanted))
        {
            await topic.UnsubscribeAsync(gone.Topic, gone.Subscriber, cancellationToken);
        }

        foreach (var added in wanted.Except(stored))
        {
            await topic.SubscribeAsync(added.Topic, added.Subscriber, cancellationToken);
        }

        LogReconciled(logger, wanted.Count, wanted.Except(stored).Count(), stored.Except(wanted).Count());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification subscriptions: {Count} configured, {Added} added, {Removed} removed")]
    private static partial void LogReconciled(ILogger logger, int count, int added, int removed);
}
