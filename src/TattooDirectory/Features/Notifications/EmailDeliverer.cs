using System.Diagnostics.CodeAnalysis;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using TattooDirectory.Backends.Local.Notifications;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Sends each message as a plain-text email over SMTP, to the subscription's fixed address or
/// to the address a message attribute names (a requester's confirmation). Failure reasons
/// carry SMTP status codes only: server replies often quote the recipient address.
/// </summary>
internal sealed class EmailDeliverer(IOptions<NotificationOptions> options) : INotificationDeliverer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task DeliverAsync(OutboxMessage delivery, SubscriptionOptions subscription, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var message = new MimeMessage
        {
            Subject = delivery.Message.Subject,
            Body = new TextPart("plain") { Text = delivery.Message.Body },
        };
        // Host, From and the recipient rule were validated on start.
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.Add(Recipient(delivery, subscription));
        message.Headers.Add("X-Directory-Message-Id", delivery.Id);

        // A connection per message: notification volume is tiny, and an SMTP session that
        // outlives its failure would need its own recovery.
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException ex)
        {
            throw new DeliveryFailedException($"SMTP {(int)ex.StatusCode} ({ex.ErrorCode})", ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryFailedException("SMTP timeout", ex);
        }
    }

    private static MailboxAddress Recipient(OutboxMessage delivery, SubscriptionOptions subscription)
    {
        var address = subscription.ToAttribute is { } attribute
            ? delivery.Message.Attributes?.GetValueOrDefault(attribute) ?? throw new DeliveryFailedException($"the message has no '{attribute}' attribute")
            : subscription.To!;
        return TryParseAddress(address, out var mailbox)
            ? mailbox
            : throw new DeliveryFailedException($"the '{subscription.ToAttribute ?? "To"}' address is not valid");
    }

    /// <summary>A single mailbox with a domain: MimeKit alone would also accept a bare local part.</summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out MailboxAddress? mailbox)
    {
        mailbox = null;
        return !string.IsNullOrWhiteSpace(text) && MailboxAddress.TryParse(text, out mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
    }
}
