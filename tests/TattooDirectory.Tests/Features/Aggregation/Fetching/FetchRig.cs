using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>
/// A <see cref="WebFetcher"/> as the app builds it (<c>AddWebFetcher</c> over configuration), on a
/// fake clock and a <see cref="RecordingNetwork"/>. No spacing between requests unless a test asks,
/// so the tests never wait on the politeness interval.
/// </summary>
internal sealed class FetchRig : IAsyncDisposable
{
    public const string ContactUrl = "https://directory.test/bot";

    private readonly ServiceProvider _services;

    public FetchRig(IEnumerable<LoopbackSite> allowListed, IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Aggregation:Fetch:ContactUrl"] = ContactUrl,
            ["Aggregation:Fetch:MinHostInterval"] = "00:00:00",
        };
        foreach (var (site, i) in allowListed.Select((s, i) => (s, i)))
        {
            config[$"Aggregation:Fetch:AllowedHosts:{i.ToString(CultureInfo.InvariantCulture)}"] = site.HostPort;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[$"Aggregation:Fetch:{key}"] = value;

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Network.Network);
        services.AddWebFetcher();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FetchRig(LoopbackSite allowListed, IDictionary<string, string?>? settings = null)
        : this([allowListed], settings)
    {
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public RecordingNetwork Network { get; } = new();

    public WebFetcher Fetcher => _services.GetRequiredService<WebFetcher>();

    public Task<FetchResult> GetAsync(Uri url, FetchKind kind = FetchKind.Html, CancellationToken? ct = null) =>
        Fetcher.GetAsync(url, kind, ct ?? TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Waits for a condition another task brings about, by re-checking it; never a fixed sleep.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (cts.IsCancellationRequested) Assert.Fail($"Never happened: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }
}
