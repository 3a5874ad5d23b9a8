using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Notifications;
using static TattooDirectory.Tests.Features.Notifications.NotificationHosts;

namespace TattooDirectory.Tests.Features.Notifications;

public sealed class WebhookDeliveryTests
{
    private const string Secret = "webhook-secret-for-tests-0123";

    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);

    [Fact]
    public async Task A_webhook_that_fails_twice_gets_the_signed_message_once_more_and_it_counts_as_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, attempt => attempt <= 2 ? 500 : 200);
        await using var host = await StartAsync(Webhook(receiver.Url), On(_clock));

        await CommitWithNotificationAsync(host, "r-1", Topics.CriticalAlerts, new Notification("Sync lag above 30 s", "Lag is 42 s.", new Dictionary<string, string> { ["lagSeconds"] = "42" }));
        await AdvanceUntilAsync(_clock, async () => receiver.Received.Count >= 3 && await NothingOwedAsync(host));

        Assert.Equal(3, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        Assert.Single(receiver.Received.Select(r => r.MessageId).Distinct());
        var body = receiver.Received[^1].Body;
        Assert.Equal(receiver.Received[^1].MessageId, body.GetProperty("messageId").GetString());
        Assert.Equal((Topics.CriticalAlerts, "Sync lag above 30 s", "Lag is 42 s.", "42"), (
            body.GetProperty("topic").GetString(), body.GetProperty("subject").GetString(), body.GetProperty("body").GetString(),
            body.GetProperty("attributes").GetProperty("lagSeconds").GetString()));
        Assert.True(body.TryGetProperty("publishedAt", out _));
        // The timestamp is the dispatcher's clock at each try, and the clock moved between tries.
        var stamps = receiver.Received.Select(r => long.Parse(r.Timestamp!, CultureInfo.InvariantCulture)).ToList();
        Assert.All(stamps, s => Assert.InRange(s, Start.ToUnixTimeSeconds(), _clock.GetUtcNow().ToUnixTimeSeconds()));
        Assert.True(stamps.Zip(stamps.Skip(1)).All(p => p.First < p.Second), string.Join(", ", stamps));
        Assert.Equal(0, (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_webhook_that_always_fails_is_dead_lettered_after_five_tries()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, _ => 500);
        await using var host = await StartAsync(Webhook(receiver.Url), On(_clock));

        await CommitWithNotificationAsync(host, "r-2", Topics.CriticalAlerts, new Notification("Removal SLA breached", "r-2 waits 4 days."));
        await AdvanceUntilAsync(_clock, async () =>
            (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").GetArrayLength() > 0);

        var letter = Assert.Single((await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").EnumerateArray());
        Assert.Equal(("ops-hook", Topics.CriticalAlerts, 5, "HTTP 500"), (
            letter.GetProperty("subscriber").GetString(), letter.GetProperty("topic").GetString(),
            letter.GetProperty("attempts").GetInt32(), letter.GetProperty("lastError").GetString()));
        Assert.Equal(5, receiver.Received.Count);
        Assert.True(await NothingOwedAsync(host));
    }

    [Fact]
    public async Task A_webhook_that_always_fails_is_dead_lettered_while_another_subscriber_gets_every_message_once()
    {
        await using var failing = await WebhookReceiver.StartAsync(Secret, _ => 500);
        await using var healthy = await WebhookReceiver.StartAsync(Secret, _ => 200);
        var settings = new Dictionary<string, string>(Webhook(failing.Url));
        foreach (var (key, value) in Subscription("ops-healthy", "webhook", [Topics.CriticalAlerts], ("Url", healthy.Url), ("Secret", Secret))) settings[key] = value;
        await using var host = await StartAsync(settings, On(_clock));

        await CommitWithNotificationAsync(host, "r-4", Topics.CriticalAlerts, new Notification("Index unavailable", "first"));
        // The healthy subscriber is served before the failing one's retries fall due: the clock has not moved.
        await UntilAsync(() => Task.FromResult(healthy.Received.Count == 1));
        await CommitWithNotificationAsync(host, "r-5", Topics.CriticalAlerts, new Notification("Index available", "second"));
        await AdvanceUntilAsync(_clock, async () =>
            (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").GetArrayLength() == 2 && await NothingOwedAsync(host));

        var letters = (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").EnumerateArray().ToList();
        Assert.All(letters, l => Assert.Equal(("ops-hook", 5), (l.GetProperty("subscriber").GetString(), l.GetProperty("attempts").GetInt32())));
        Assert.Equal(10, failing.Received.Count);
        Assert.Equal(["first", "second"], healthy.Received.Select(r => r.Body.GetProperty("body").GetString()));
        Assert.Equal(2, healthy.Received.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(letters.Select(l => l.GetProperty("id").GetString()).Order(), healthy.Received.Select(r => r.MessageId).Order());
    }

    [Fact]
    public async Task An_unreachable_webhook_is_retried_and_dead_lettered_with_a_reason_that_names_no_content()
    {
        string closedUrl;
        await using (var gone = await WebhookReceiver.StartAsync(Secret, _ => 200)) closedUrl = gone.Url;
        await using var host = await StartAsync(Webhook(closedUrl), On(_clock));

        await CommitWithNotificationAsync(host, "r-3", Topics.CriticalAlerts, new Notification("Index unavailable", "secret body"));
        await AdvanceUntilAsync(_clock, async () =>
            (await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").GetArrayLength() > 0);

        var letter = Assert.Single((await host.GetJsonAsync("/v1/admin/notifications/dead-letters")).GetProperty("items").EnumerateArray());
        Assert.StartsWith("HTTP ", letter.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", letter.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string> Webhook(string url) =>
        Subscription("ops-hook", "webhook", [Topics.CriticalAlerts], ("Url", url), ("Secret", Secret));
}
