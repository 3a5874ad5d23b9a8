using TattooDirectory.Core.Catalog;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Artists;

public sealed class LocationFallbackTests
{
    [Fact]
    public async Task A_place_the_gazetteer_does_not_know_falls_back_to_matching_the_location_text()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        var catalog = host.Service<ArtistCatalog>();
        var ct = TestContext.Current.CancellationToken;
        await catalog.PutArtistAsync(TestArtists.Make("artist-fall1", "Wren Marsh") with { LocationDisplay = "Smallbridge Wharf, Leeds" }, [], ct);
        await catalog.PutArtistAsync(TestArtists.Make("artist-fall2", "Ivo Stone") with { LocationDisplay = "Leeds city centre" }, [], ct);

        var result = await Eventually.GetJsonAsync(host, "/v1/artists?location=Smallbridge", r => r.GetProperty("total").GetInt32() > 0);

        Assert.False(result.TryGetProperty("resolvedLocation", out _));
        Assert.Equal(["artist-fall1"], result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()));
    }
}
