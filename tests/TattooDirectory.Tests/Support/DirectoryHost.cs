using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TattooDirectory.Tests.Support;

/// <summary>
/// The real app on real Kestrel, bound to a free loopback port, with its own temp data directory.
/// Tests talk to it over HTTP exactly as a client would.
/// </summary>
public sealed class DirectoryHost : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly bool _ownsData;

    private DirectoryHost(WebApplication app, TempDirectory data, bool ownsData)
    {
        App = app;
        _data = data;
        _ownsData = ownsData;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }
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
            "--Logging:LogLevel:Default=Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) args.Add($"--{key}={value}");
        var app = DirectoryApp.Build([.. args], configure);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DirectoryHost(app, directory, ownsData: data is null);
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
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsData) _data.Dispose();
    }
}

/// <summary>One seeded directory shared by the read-only API tests (seeding takes a second or two).</summary>
public sealed class SeededDirectory : IAsyncLifetime
{
    public DirectoryHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await DirectoryHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
