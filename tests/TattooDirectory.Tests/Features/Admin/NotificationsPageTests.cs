using System.Net;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Tests.Features.Notifications;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

public sealed class NotificationsPageTests
{
    [Fact]
    public async Task The_mailbox_page_shows_published_messages_and_filters_by_topic()
    {
        await using var host = await NotificationHosts.StartAsync();
        await NotificationHosts.CommitWithNotificationAsync(host, "rr-page-one", Topics.RemovalRequests, new Notification("Removal request rr-page-one", "Review it at /admin/removals/rr-page-one"));
        await NotificationHosts.CommitWithNotificationAsync(host, "rr-page-two", Topics.CriticalAlerts, new Notification("Purge overdue rr-page-two", "Still running"));
        using var operatorClient = new OperatorClient(host);
        await operatorClient.SignInAsync();

        await NotificationHosts.UntilAsync(async () =>
            (await operatorClient.GetPageAsync("/admin/notifications")).Page.QuerySelectorAll("tr[data-message-id]").Length == 2);
        var (status, all) = await operatorClient.GetPageAsync("/admin/notifications");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Removal request rr-page-one", all.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Purge overdue rr-page-two", all.Body.TextContent, StringComparison.Ordinal);

        var (_, filtered) = await operatorClient.GetPageAsync("/admin/notifications?topic=critical-alerts");
        var rows = filtered.QuerySelectorAll("tr[data-message-id]");
        Assert.Single(rows);
        Assert.Contains("Purge overdue rr-page-two", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("page", filtered.QuerySelector("nav.admin-tabs a[href$='critical-alerts']")?.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task The_mailbox_page_answers_401_without_signing_in()
    {
        await using var host = await NotificationHosts.StartAsync();
        using var anonymous = new OperatorClient(host);

        var (status, page) = await anonymous.GetPageAsync("/admin/notifications");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(page.QuerySelector("form.admin-form input[name=token]"));
        Assert.Empty(page.QuerySelectorAll("tr[data-message-id]"));
    }
}
