using Microsoft.Extensions.Options;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Features.Notifications;

public static class NotificationsModule
{
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Notifications end to end on the Local topic: the outbox relay (table → topic), subscriptions
    /// reconciled with configuration, the dispatcher and its deliverers, and retention.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();

        builder.Services.AddHttpClient(WebhookDeliverer.ClientName, client => client.Timeout = WebhookTimeout)
            // A webhook answers itself; following a redirect would send signed content to a URL nobody configured.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddKeyedScoped<INotificationDeliverer, LogDeliverer>(SubscriptionKind.Log);
        builder.Services.AddKeyedScoped<INotificationDeliverer, WebhookDeliverer>(SubscriptionKind.Webhook);
        builder.Services.AddKeyedScoped<INotificationDeliverer, EmailDeliverer>(SubscriptionKind.Email);

        builder.Services.AddSingleton<OutboxRelay>();
        // Start order matters: subscriptions exist before the first message is relayed.
        builder.Services.AddHostedService<SubscriptionReconciler>();
        builder.Services.AddHostedService<OutboxRelayWorker>();
        builder.Services.AddHostedService<NotificationDispatcher>();
        builder.Services.AddHostedService<NotificationRetention>();
        return builder;
    }
}
