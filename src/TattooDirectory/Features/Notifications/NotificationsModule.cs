using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Features.Notifications;

public static class NotificationsModule
{
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Notifications: the outbox relay (table → topic) on every backend; on the Local topic also the
    /// subscriptions reconciled with configuration, the dispatcher and its deliverers, and retention.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        builder.Services.AddSingleton<OutboxRelay>();
        // Subscriptions, delivery and retention belong to the Local topic; SNS does them itself.
        var localTopic = builder.Services.Any(d => d.ServiceType == typeof(SqliteTopic));
        if (localTopic)
        {
            builder.Services.AddHttpClient(WebhookDeliverer.ClientName, client => client.Timeout = WebhookTimeout)
                // A webhook answers itself; following a redirect would send signed content to a URL nobody configured.
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
            builder.Services.AddKeyedScoped<INotificationDeliverer, LogDeliverer>(SubscriptionKind.Log);
            builder.Services.AddKeyedScoped<INotificationDeliverer, WebhookDeliverer>(SubscriptionKind.Webhook);
            builder.Services.AddKeyedScoped<INotificationDeliverer, EmailDeliverer>(SubscriptionKind.Email);
            // Start order matters: subscriptions exist before the first message is relayed.
            builder.Services.AddHostedService<SubscriptionReconciler>();
        }

        builder.Services.AddHostedService<OutboxRelayWorker>();
        if (localTopic)
        {
            builder.Services.AddHostedService<NotificationDispatcher>();
            builder.Services.AddHostedService<NotificationRetention>();
        }

        return builder;
    }
}
