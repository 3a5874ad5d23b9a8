using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Support;

/// <summary>
/// The real app on real Kestrel, bound to a free loopback port, with its own temp data directory.
/// Tests talk to it over HTTP exactly as a client would. Every host also checks, when it is
/// disposed, that nothing it logged (at Information and above, whatever the console shows) names
/// an artist or a requester it holds: so every test on a host is a log-privacy test too.
/// </summary>
public sealed class DirectoryHost : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly bool _ownsData;

    private DirectoryHost(WebApplication app, TempDirectory data, bool ownsData, CapturedLogs logs)
    {
        App = app;
        Logs = logs;
        _data = data;
        _ownsData = ownsData;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    /// <summary>Everything the app logged at Information and above.</summary>
    internal CapturedLogs Logs { get; }
    public HttpClient Client { get; }
    public string DataDirectory => _data.Path;
    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<DirectoryHost> StartAsync(bool seed = true, IReadOnlyDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, TempDirectory? data = null)
    {
        var directory = data ?? new TempDirectory();
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={directory.Path}",
            $"--Seed:OnStart={seed}",
            "--RateLimits:SearchPerMinute=1000000",
            // Route-by-route credential tests send many wrong tokens; the lockout has its own test.
            "--Admin:FailedTokensPerMinute=1000000",
            "--Logging:LogLevel:Default=Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) args.Add($"--{key}={value}");
        var logs = new CapturedLogs();
        var app = DirectoryApp.Build([.. args], builder =>
        {
            builder.Logging.AddProvider(logs).AddFilter<CapturedLogs>(null, LogLevel.Information);
            configure?.Invoke(builder);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DirectoryHost(app, directory, ownsData: data is null, logs);
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var personal = await PersonalDataAsync();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsData) _data.Dispose();
        var leak = Logs.All.Select(log => (log, text: personal.FirstOrDefault(log.Mentions))).FirstOrDefault(x => x.text is not null);
        if (leak.text is not null)
        {
            throw new Xunit.Sdk.XunitException($"The app logged personal data ('{leak.text}') in {leak.log.Category}: {leak.log.Message}");
        }
    }

    /// <summary>
    /// Names, handles and requester contacts the host holds now. Strings shorter than 6 characters
    /// are left out: they match inside ordinary words. A store a test broke on purpose yields what
    /// could be read.
    /// </summary>
    private async Task<IReadOnlyList<string>> PersonalDataAsync()
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var table = Service<ITable>();
            await foreach (var item in table.ScanAsync(Keys.ArtistPrefix))
            {
                if (item.Sk != Keys.Profile) continue;
                var artist = ArtistItems.ReadArtist(item);
                found.Add(artist.Name);
                if (artist.InstagramHandle is { } handle) found.Add(handle);
            }
            await foreach (var item in table.ScanAsync(Keys.RemovalPrefix))
            {
                if (ReadOrNull(item) is { Requester: { } requester }) found.UnionWith([requester.FullName, requester.Email]);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or System.Text.Json.JsonException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The test broke the store on purpose; check against what was read.
        }
        return [.. found.Where(s => s.Length >= 6)];

        // Some tests plant items that are not requests under the prefix.
        static RemovalRequest? ReadOrNull(Item item)
        {
            try
            {
                return RemovalItems.Read(item);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>One seeded directory shared by the read-only API tests (seeding takes a second or two).</summary>
public sealed class SeededDirectory : IAsyncLifetime
{
    public DirectoryHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await DirectoryHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
