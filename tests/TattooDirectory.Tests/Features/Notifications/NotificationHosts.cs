using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Notifications;

/// <summary>The app with an operator token and the notification settings a test needs.</summary>
internal static class NotificationHosts
{
    public const string Token = "operator-token-for-tests-0123456789";

    public static async Task<DirectoryHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, TempDirectory? data = null)
    {
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Admin:Token"] = Token };
        var host = await DirectoryHost.StartAsync(seed: false, settings: all, configure: configure, data: data);
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return host;
    }

    /// <summary>Configuration lines for one subscription.</summary>
    public static Dictionary<string, string> Subscription(string name, string kind, string[] topics, params (string Key, string Value)[] extra)
    {
        var prefix = $"Notifications:Subscriptions:{name}";
        var settings = new Dictionary<string, string> { [$"{prefix}:Kind"] = kind };
        for (var i = 0; i < topics.Length; i++) settings[$"{prefix}:Topics:{i}"] = topics[i];
        foreach (var (key, value) in extra) settings[$"{prefix}:{key}"] = value;
        return settings;
    }

    /// <summary>Runs the app on <paramref name="clock"/>, so retries fall due when the test says so.</summary>
    public static Action<WebApplicationBuilder> On(FakeTimeProvider clock) => builder => builder.Services.AddSingleton<TimeProvider>(clock);

    /// <summary>A change committed together with the notification it causes, as the features do.</summary>
    public static Task CommitWithNotificationAsync(DirectoryHost host, string requestId, string topic, Notification notification)
    {
        var key = Keys.RemovalRequest(requestId);
        var request = new Item { Pk = key.Pk, Sk = key.Sk, Data = """{"status":"received"}""" };
        var now = host.Service<TimeProvider>().GetUtcNow();
        return host.Service<ITable>().TransactWriteAsync(
            [new TableWrite.Put(request, WriteCondition.NotExists), Outbox.Publish(topic, notification, $"{requestId}/{topic}", now)],
            TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Moves the fake clock past the longest backoff until <paramref name="done"/> holds, giving the
    /// dispatcher a moment between steps; fails after 30 s of real time.
    /// </summary>
    public static Task AdvanceUntilAsync(FakeTimeProvider clock, Func<Task<bool>> done) => PollAsync(done, () => clock.Advance(TimeSpan.FromMinutes(5)));

    /// <summary>Re-checks <paramref name="done"/> until it holds; fails after 30 s.</summary>
    public static Task UntilAsync(Func<Task<bool>> done) => PollAsync(done, step: null);

    private static async Task PollAsync(Func<Task<bool>> done, Action? step)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await done())
        {
            Assert.False(cts.IsCancellationRequested, "The condition never held.");
            step?.Invoke();
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    public static async Task<bool> NothingOwedAsync(DirectoryHost host) =>
        (await host.Service<SqliteTopic>().PendingAsync(100, TestContext.Current.CancellationToken)).Count == 0;
}
