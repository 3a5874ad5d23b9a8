using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Alarms;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Alarms;

/// <summary>
/// The app on a fake clock with the alarm worker evaluating every 30 s of that clock, the scrape
/// worker off (the tests play the queue's consumer) and a path that always answers 500.
/// </summary>
internal sealed class AlarmHost : IAsyncDisposable
{
    public const string Token = "operator-token-for-alarm-tests-0123456789";
    public const string FailingPath = "/test/always-fails";
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    private AlarmHost(DirectoryHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public DirectoryHost Host { get; }
    public FakeTimeProvider Clock { get; }
    public AlarmEvaluator Evaluator => Host.Service<AlarmEvaluator>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Monday 23 November 2026, 09:00 UTC, unless the test says otherwise.</summary>
    public static async Task<AlarmHost> StartAsync(DateTimeOffset? now = null, TempDirectory? data = null)
    {
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var settings = new Dictionary<string, string>
        {
            ["Admin:Token"] = Token,
            ["Aggregation:Scrape:Enabled"] = "false",
            ["Alarms:EvaluateEvery"] = "00:00:30",
            ["Alarms:MinSamples"] = "5",
        };
        var host = await DirectoryHost.StartAsync(seed: false, settings: settings, data: data, configure: builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<IStartupFilter, FailingPathFilter>();
        });
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var alarms = new AlarmHost(host, clock);
        await UntilAsync(() => Task.FromResult(alarms.Evaluator.LastEvaluatedAt is not null));
        return alarms;
    }

    /// <summary>Moves the clock on by one evaluation period and waits for the worker's evaluation at the new time.</summary>
    public async Task TickAsync(int ticks = 1)
    {
        for (var i = 0; i < ticks; i++)
        {
            Clock.Advance(Every);
            var due = Clock.GetUtcNow();
            await UntilAsync(() => Task.FromResult(Evaluator.LastEvaluatedAt >= due));
        }
    }

    public async Task<string> StateAsync(string alarm) =>
        AlarmNames.Of((await Evaluator.ListAsync(Ct)).Single(a => a.Name == alarm).State);

    /// <summary>GET /v1/admin/alarms, the alarm by name.</summary>
    public async Task<JsonElement> ApiAlarmAsync(string alarm) =>
        (await Host.GetJsonAsync("/v1/admin/alarms")).GetProperty("alarms").EnumerateArray().Single(a => a.GetProperty("name").GetString() == alarm);

    /// <summary>
    /// Every notification the alarm has published, once the relay has moved the outbox to the
    /// topic: the states they announce, oldest first, with the topic each went to.
    /// </summary>
    public async Task<IReadOnlyList<(string Topic, string State)>> NotificationsAsync(string alarm)
    {
        var table = Host.Service<ITable>();
        await UntilAsync(async () => !await table.ScanAsync(Keys.OutboxPrefix, Ct).AnyAsync(Ct));
        var topic = Host.Service<SqliteTopic>();
        var found = new List<MailboxMessage>();
        foreach (var name in new[] { Topics.CriticalAlerts, Topics.WarningAlerts })
        {
            found.AddRange(await topic.MailboxAsync(name, 1000, Ct));
        }
        return [.. found.Where(m => m.Message.Attributes?.GetValueOrDefault("alarm") == alarm)
            .OrderBy(m => m.PublishedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (m.Topic, m.Message.Attributes!["state"]))];
    }

    /// <summary>Requests answered by the app's real pipeline with a 500, recorded by ASP.NET Core's own request metric.</summary>
    public async Task FailRequestsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await Host.Client.GetAsync(FailingPath, Ct);
            Assert.Equal(500, (int)response.StatusCode);
        }
    }

    public async Task SucceedRequestsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await Host.Client.GetAsync("/alive", Ct);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Re-checks until the condition holds (the workers run on their own threads); fails after 20 s.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, "The condition never held.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    public T HostedService<T>() where T : IHostedService => Host.App.Services.GetServices<IHostedService>().OfType<T>().Single();

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>Answers <see cref="FailingPath"/> with a 500 ahead of the app's own middleware.</summary>
    private sealed class FailingPathFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, then) =>
            {
                if (context.Request.Path == FailingPath)
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return;
                }
                await then(context);
            });
            next(app);
        };
    }
}
