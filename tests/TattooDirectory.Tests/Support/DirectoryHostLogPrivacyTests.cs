using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Catalog;

namespace TattooDirectory.Tests.Support;

/// <summary>The suite-wide log-privacy check every <see cref="DirectoryHost"/> runs when disposed.</summary>
public sealed class DirectoryHostLogPrivacyTests
{
    [Fact]
    public async Task A_host_whose_app_logged_an_artists_name_fails_when_disposed()
    {
        var host = await DirectoryHost.StartAsync(seed: false);
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-leaky01", "Loggable Person"), [], TestContext.Current.CancellationToken);
        host.Service<ILoggerFactory>().CreateLogger("Careless").LogInformation("Updated {Artist}", "Loggable Person");

        var failure = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(async () => await host.DisposeAsync());

        Assert.Contains("Careless", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_whose_app_logged_only_ids_disposes_cleanly()
    {
        var host = await DirectoryHost.StartAsync(seed: false);
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-quiet01", "Private Person"), [], TestContext.Current.CancellationToken);
        host.Service<ILoggerFactory>().CreateLogger("Careful").LogInformation("Updated {ArtistId}", "artist-quiet01");

        await host.DisposeAsync();
    }
}
