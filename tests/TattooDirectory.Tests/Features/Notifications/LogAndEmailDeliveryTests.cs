using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using netDumbster.smtp;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Features.Notifications.NotificationHosts;

namespace TattooDirectory.Tests.Features.Notifications;

public sealed class LogAndEmailDeliveryTests
{
    private const string RequesterEmail = "jo.requester@example.test";

    private static readonly Notification Confirmation = new(
        "Your removal request r-7 is complete",
        "Dear Jo Requester, the profile you asked about is gone.",
        new Dictionary<string, string> { ["email"] = RequesterEmail, ["requestId"] = "r-7" });

    [Fact]
    public async Task The_log_subscription_logs_the_subject_and_id_but_never_the_body_or_attributes()
    {
        var logs = new CapturedLogs();
        await using var host = await StartAsync(
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" },
            builder => builder.Logging.AddProvider(logs));

        await CommitWithNotificationAsync(host, "r-7", Topics.RemovalConfirmations, Confirmation);
        await UntilAsync(() => Task.FromResult(logs.All.Any(l => l.Mentions(Confirmation.Subject))));
        await UntilAsync(() => NothingOwedAsync(host));

        var line = Assert.Single(logs.All, l => l.Mentions(Confirmation.Subject));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains(Topics.RemovalConfirmations, line.Message, StringComparison.Ordinal);
        var messageId = Assert.Single((await host.Service<SqliteTopic>().MailboxAsync(Topics.RemovalConfirmations, 10, TestContext.Current.CancellationToken))).Id;
        Assert.Contains(messageId, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.All, l => l.Mentions("Jo Requester") || l.Mentions(RequesterEmail) || l.Mentions("profile you asked"));
    }

    [Fact]
    public async Task An_email_subscription_sends_the_message_to_the_address_in_its_attribute()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var settings = Subscription("requester-mail", "email", [Topics.RemovalConfirmations], ("ToAttribute", "email"));
        settings["Notifications:Smtp:Host"] = "127.0.0.1";
        settings["Notifications:Smtp:Port"] = smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:Smtp:StartTls"] = "false";
        settings["Notifications:Smtp:From"] = "Tattoo Directory <no-reply@directory.example.test>";
        await using var host = await StartAsync(settings);

        await CommitWithNotificationAsync(host, "r-7", Topics.RemovalConfirmations, Confirmation);
        await UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount > 0));
        await UntilAsync(() => NothingOwedAsync(host));

        var email = Assert.Single(smtp.ReceivedEmail);
        Assert.Equal([RequesterEmail], email.ToAddresses.Select(a => a.ToString()));
        Assert.Equal(Confirmation.Subject, email.Subject);
        Assert.Contains(Confirmation.Body, email.MessageParts[0].BodyData, StringComparison.Ordinal);
        Assert.Equal(0, (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").GetArrayLength());
    }
}
