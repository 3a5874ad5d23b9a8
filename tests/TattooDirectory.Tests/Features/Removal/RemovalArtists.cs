using System.Text;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

/// <summary>Puts an artist with two portfolio images (and their files) into a running app, for removal tests that need a profile to remove.</summary>
internal static class RemovalArtists
{
    public static readonly Studio Parlour = new() { StudioId = "studio-flow1", Name = "Flow Parlour", Address = "3 Lane", City = "Leeds", Postcode = "LS1 3AA", Geo = TestArtists.Leeds };

    public static async Task<(Artist Artist, IReadOnlyList<PortfolioImage> Images)> AddAsync(DirectoryHost host, Artist artist)
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = host.Service<ArtistCatalog>();
        var blobs = host.Service<IBlobStore>();
        if (await catalog.GetStudioAsync(Parlour.StudioId, ct) is null) await catalog.PutStudioAsync(Parlour, ct);
        IReadOnlyList<PortfolioImage> images = [TestArtists.Image(artist.ArtistId, $"img-{artist.ArtistId[7..]}1", 1), TestArtists.Image(artist.ArtistId, $"img-{artist.ArtistId[7..]}2", 2)];
        foreach (var key in images.SelectMany(i => new[] { i.BlobKey, i.ThumbnailKey }))
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
            await blobs.PutAsync(key, content, "image/svg+xml", "public, max-age=31536000, immutable", ct);
        }
        await catalog.PutArtistAsync(artist, images, ct);
        return (artist, images);
    }
}
