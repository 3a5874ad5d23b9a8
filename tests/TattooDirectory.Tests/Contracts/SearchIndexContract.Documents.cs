using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

public abstract partial class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
{
    // ---- Listing documents ------------------------------------------------------------------

    [Fact]
    public async Task Listing_documents_returns_every_live_document_as_stored_including_opted_out_ones()
    {
        await SeedAsync(
            Artist("artist-0001", version: 2) with { Name = "Rosa Thorn", InstagramHandle = "rosa.thorn", StudioId = "studio-0001" },
            Artist("artist-0002", version: 1) with { OptedOut = true },
            Artist("artist-0003", version: 1));
        await Index.ApplyAsync([new IndexOperation.Delete("artist-0003", 2)], Ct);
        await Index.RefreshAsync(Ct);

        var listed = (await Index.ListDocumentsAsync(Ct).ToListAsync(Ct)).OrderBy(d => d.ArtistId, StringComparer.Ordinal).ToList();

        Assert.Equal(["artist-0001", "artist-0002"], listed.Select(d => d.ArtistId));
        Assert.Equal(("Rosa Thorn", "rosa.thorn", "studio-0001", 2L), (listed[0].Name, listed[0].InstagramHandle, listed[0].StudioId, listed[0].Version));
        Assert.True(listed[1].OptedOut);
    }
}
