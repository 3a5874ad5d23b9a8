using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Features.Notifications.NotificationHosts;

namespace TattooDirectory.Tests.Features.Notifications;

public sealed class NotificationsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_notification_committed_with_its_change_appears_in_the_topic_mailbox()
    {
        await using var host = await StartAsync();
        var attributes = new Dictionary<string, string> { ["requestId"] = "r-1", ["email"] = "someone@example.test" };

        await CommitWithNotificationAsync(host, "r-1", Topics.RemovalRequests, new Notification("New removal request r-1", "Review it on the admin page.", attributes));
        var mailbox = await Eventually.GetJsonAsync(host, "/v1/admin/notifications/mailbox?topic=removal-requests", m => m.GetProperty("items").GetArrayLength() > 0);

        var message = Assert.Single(mailbox.GetProperty("items").EnumerateArray());
        Assert.Equal((Topics.RemovalRequests, "New removal request r-1", "Review it on the admin page.", "someone@example.test"), (
            message.GetProperty("topic").GetString(), message.GetProperty("subject").GetString(), message.GetProperty("body").GetString(),
            message.GetProperty("attributes").GetProperty("email").GetString()));
        Assert.False(string.IsNullOrEmpty(message.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_mailbox_without_a_topic_shows_every_topic_newest_first_up_to_the_limit()
    {
        await using var host = await StartAsync();
        var topic = host.Service<SqliteTopic>();
        await topic.PublishAsync(Topics.WarningAlerts, new Notification("first", "b"), Ct);
        await topic.PublishAsync(Topics.AggregationReports, new Notification("second", "b"), Ct);
        await topic.PublishAsync(Topics.CriticalAlerts, new Notification("third", "b"), Ct);

        var all = await host.GetJsonAsync("/v1/admin/notifications/mailbox");
        var limited = await host.GetJsonAsync("/v1/admin/notifications/mailbox?limit=2");

        Assert.Equal(["third", "second", "first"], Subjects(all));
        Assert.Equal(["third", "second"], Subjects(limited));
    }

    [Theory]
    [InlineData("?topic=removal-request", "topic")]
    [InlineData("?topic=REMOVAL-REQUESTS", "topic")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    public async Task A_bad_mailbox_query_is_a_validation_problem_naming_the_parameter(string query, string parameter)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync($"/v1/admin/notifications/mailbox{query}", Ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("/v1/admin/notifications/mailbox")]
    [InlineData("/v1/admin/notifications/dead-letters")]
    public async Task The_notification_routes_need_the_operator_token(string url)
    {
        await using var host = await StartAsync();
        host.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await host.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Subscriptions_follow_configuration_across_restarts()
    {
        using var data = new TempDirectory();
        var hook = Subscription("ops-hook", "webhook", [Topics.CriticalAlerts, Topics.WarningAlerts], ("Url", "http://127.0.0.1:1/hook"), ("Secret", "webhook-secret-for-tests-0123"));
        var logDisabled = new Dictionary<string, string> { ["Notifications:Subscriptions:log:Enabled"] = "false" };
        IReadOnlyList<TopicSubscription> first, second, third;
        await using (var host = await StartAsync(hook, data: data)) first = await host.Service<SqliteTopic>().SubscriptionsAsync(Ct);
        await using (var host = await StartAsync(data: data)) second = await host.Service<SqliteTopic>().SubscriptionsAsync(Ct);
        await using (var host = await StartAsync(logDisabled, data: data)) third = await host.Service<SqliteTopic>().SubscriptionsAsync(Ct);

        Assert.Equal([Topics.CriticalAlerts, Topics.WarningAlerts], first.Where(s => s.Subscriber == "ops-hook").Select(s => s.Topic));
        Assert.DoesNotContain(second, s => s.Subscriber == "ops-hook");
        // The default log subscription covers every topic, and only disabling it removes it.
        Assert.Equal(Topics.All.Order(), second.Where(s => s.Subscriber == "log").Select(s => s.Topic).Order());
        Assert.Empty(third);
    }

    [Theory]
    [InlineData("Kind=webhook|Topics:0=critical-alerts|Url=http://127.0.0.1:1/hook|Secret=too-short", "Notifications:Subscriptions:bad:Secret")]
    [InlineData("Kind=webhook|Topics:0=critical-alerts|Url=/relative/hook|Secret=webhook-secret-for-tests-0123", "Notifications:Subscriptions:bad:Url")]
    [InlineData("Kind=webhook|Topics:0=critical-alerts|Url=ftp://127.0.0.1/hook|Secret=webhook-secret-for-tests-0123", "Notifications:Subscriptions:bad:Url")]
    [InlineData("Kind=log|Topics:0=critical-alert", "'critical-alert' is not a topic")]
    [InlineData("Kind=log", "Notifications:Subscriptions:bad:Topics")]
    [InlineData("Topics:0=*", "Notifications:Subscriptions:bad:Kind")]
    [InlineData("Kind=email|Topics:0=removal-confirmations|ToAttribute=email", "Notifications:Smtp:Host")]
    [InlineData("Kind=email|Topics:0=removal-confirmations", "exactly one of To")]
    public async Task A_subscription_that_could_never_deliver_stops_the_start_with_a_message_naming_it(string lines, string expected)
    {
        using var data = new TempDirectory();
        var settings = lines.Split('|').Select(l => l.Split('=', 2)).ToDictionary(p => $"Notifications:Subscriptions:bad:{p[0]}", p => p[1]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings, data: data));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static List<string?> Subjects(JsonElement mailbox) => [.. mailbox.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("subject").GetString())];
}
