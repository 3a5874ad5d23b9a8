using System.Net;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.DemoWeb;

/// <summary>
/// One demo web on free loopback ports, shared by a test class. Its slow page waits on a fake
/// clock, and its client never follows redirects: one of them points at 10.0.0.1, which a test
/// must never try to reach.
/// </summary>
public sealed class DemoWebFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public DemoWebOptions Options { get; } = new();

    public DemoWebServer Server { get; private set; } = null!;

    public HttpClient Client { get; } = NoRedirectClient();

    public DemoWebManifest Manifest => Server.Manifest;

    public IEnumerable<(ManifestSite Site, ManifestArtist Artist)> Artists => Manifest.Sites.SelectMany(s => s.Artists.Select(a => (s, a)));

    public async ValueTask InitializeAsync() => Server = await DemoWebServer.StartAsync(Options, Time, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public static HttpClient NoRedirectClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    });
}
