using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using static TattooDirectory.Tests.Features.Notifications.NotificationHosts;

namespace TattooDirectory.Tests.Features.Notifications;

public sealed class NotificationRetentionTests
{
    [Fact]
    public async Task A_delivered_message_leaves_the_mailbox_once_it_is_thirty_days_old()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(configure: On(clock));
        var topic = host.Service<SqliteTopic>();
        var ct = TestContext.Current.CancellationToken;

        var old = await topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Request r-1 closed", "contact details"), ct);
        clock.Advance(TimeSpan.FromDays(20));
        var recent = await topic.PublishAsync(Topics.RemovalConfirmations, new Notification("Request r-2 closed", "contact details"), ct);
        await UntilAsync(() => NothingOwedAsync(host));
        clock.Advance(TimeSpan.FromDays(11));

        await UntilAsync(async () => (await topic.MailboxAsync(Topics.RemovalConfirmations, 10, ct)).Count == 1);
        Assert.Equal([recent], (await topic.MailboxAsync(Topics.RemovalConfirmations, 10, ct)).Select(m => m.Id));
        Assert.NotEqual(old, recent);
    }
}
