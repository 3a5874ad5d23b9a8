using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Catalog;

public sealed class ArtistCatalogTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Concurrent_replacements_of_one_artist_leave_exactly_one_writers_images()
    {
        var sets = Enumerable.Range(0, 8).Select(w => Enumerable.Range(0, 3).Select(i => TestArtists.Image("artist-race1", $"img-w{w}i{i}", i)).ToList()).ToList();

        await Task.WhenAll(sets.Select(set => Task.Run(() => _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-race1", "Race Condition"), set, Ct), Ct)));

        var profile = await _rig.Catalog.GetArtistAsync("artist-race1", Ct);
        var stored = profile!.Images.Select(i => i.ImageId).Order().ToList();
        Assert.Contains(sets, set => set.Select(i => i.ImageId).Order().SequenceEqual(stored));
    }

    [Fact]
    public async Task A_write_expecting_an_older_version_fails_and_changes_nothing()
    {
        var v1 = await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-stale1", "First Edit"), [], Ct);
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-stale1", "Second Edit"), [], Ct);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() =>
            _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-stale1", "Stale Edit"), [], v1, Ct));

        Assert.Equal("Second Edit", (await _rig.Catalog.GetArtistAsync("artist-stale1", Ct))!.Artist.Name);
    }

    [Fact]
    public async Task Renaming_a_studio_moves_its_artists_documents_to_the_new_name()
    {
        var studio = new TattooDirectory.Core.Domain.Studio { StudioId = "studio-rename1", Name = "Old Name Ink", Address = "1 Lane", City = "Leeds", Postcode = "LS1 1AA", Geo = TestArtists.Leeds };
        await _rig.Catalog.PutStudioAsync(studio, Ct);
        await _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-member1", "Member Artist", studioId: studio.StudioId), [], Ct);
        await _rig.DrainAsync();

        await _rig.Catalog.PutStudioAsync(studio with { Name = "New Name Ink" }, Ct);
        await _rig.DrainAsync();

        Assert.Equal("New Name Ink", Assert.Single((await _rig.SearchAsync("member")).Hits).Document.StudioName);
    }
}
