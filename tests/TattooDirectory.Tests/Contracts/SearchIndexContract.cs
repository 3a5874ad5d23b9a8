using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

/// <summary>
/// The behaviour every <see cref="ISearchIndex"/> adapter must show (product.md §5–6). A subclass
/// supplies an empty index on fresh storage and a way to reopen it.
/// </summary>
public abstract partial class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
{
    protected static readonly GeoPoint Manchester = new(53.4808, -2.2426);

    private TIndex? index;

    /// <summary>An empty index on storage of its own.</summary>
    protected abstract TIndex CreateIndex();

    /// <summary>Closes <paramref name="current"/> and opens the index again over the same storage.</summary>
    protected abstract TIndex Reopen(TIndex current);

    protected TIndex Index => index ??= CreateIndex();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- External versions -------------------------------------------------------------------

    [Fact]
    public async Task An_older_version_never_overwrites_a_newer_one()
    {
        await SeedAsync(Artist("artist-0001", version: 5) with { Name = "Newer Name" });

        var applied = await ApplyAsync(Artist("artist-0001", version: 4) with { Name = "Older Name" });
        await Index.RefreshAsync(Ct);

        Assert.Equal(0, applied);
        Assert.Equal(5, await Index.GetVersionAsync("artist-0001", Ct));
        Assert.Equal("Newer Name", Assert.Single((await SearchAsync(new SearchRequest())).Hits).Document.Name);
    }

    [Fact]
    public async Task An_equal_version_is_ignored()
    {
        await SeedAsync(Artist("artist-0001", version: 3) with { Name = "First Write" });

        var applied = await ApplyAsync(Artist("artist-0001", version: 3) with { Name = "Second Write" });
        await Index.RefreshAsync(Ct);

        Assert.Equal(0, applied);
        Assert.Equal("First Write", Assert.Single((await SearchAsync(new SearchRequest())).Hits).Document.Name);
    }

    [Fact]
    public async Task A_newer_version_replaces_the_document()
    {
        await SeedAsync(Artist("artist-0001", version: 1) with { Name = "Old Name" });

        var applied = await ApplyAsync(Artist("artist-0001", version: 2) with { Name = "New Name" });
        await Index.RefreshAsync(Ct);

        Assert.Equal(1, applied);
        Assert.Empty((await SearchAsync(new SearchRequest { Text = "old" })).Hits);
        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "new" })).Hits);
        Assert.Equal(2, hit.Document.Version);
        Assert.Equal(1, await Index.CountAsync(Ct));
    }

    [Fact]
    public async Task Operations_in_one_batch_apply_in_order_and_stale_ones_are_not_counted()
    {
        var applied = await Index.ApplyAsync(
        [
            Upsert(Artist("artist-0001", version: 1)),
            Upsert(Artist("artist-0001", version: 3) with { Name = "Third" }),
            Upsert(Artist("artist-0001", version: 2) with { Name = "Second" }),
            new IndexOperation.Delete("artist-0002", 7),
        ], Ct);
        await Index.RefreshAsync(Ct);

        Assert.Equal(3, applied);
        Assert.Equal("Third", Assert.Single((await SearchAsync(new SearchRequest())).Hits).Document.Name);
    }

    [Fact]
    public async Task A_large_batch_applies_every_artists_operations_in_order()
    {
        var ids = Enumerable.Range(0, 400).ToArray();
        static string Id(int i) => $"artist-{i:0000}";
        IndexOperation[] batch =
        [
            .. ids.Select(i => Upsert(Artist(Id(i), version: 2))),
            .. ids.Select(i => Upsert(Artist(Id(i), version: 1))),
            .. ids.Where(i => i % 2 == 0).Select(i => Upsert(Artist(Id(i), version: 3))),
            .. ids.Where(i => i % 3 == 0).Select(i => new IndexOperation.Delete(Id(i), 3)),
        ];

        var applied = await Index.ApplyAsync(batch, Ct);
        var reapplied = await Index.ApplyAsync(batch, Ct);
        await Index.RefreshAsync(Ct);

        // v2 for all 400, v3 for the 200 even ids, and deletes only where v3 was not already held.
        Assert.Equal(400 + 200 + 67, applied);
        Assert.Equal(0, reapplied);
        var expected = ids.Where(i => i % 2 == 0 || i % 3 != 0).Select(i => (Id(i), i % 2 == 0 ? 3L : 2L));
        Assert.Equal(expected, (await Index.ListAsync(Ct).ToListAsync(Ct)).OrderBy(e => e.ArtistId, StringComparer.Ordinal));
        Assert.Equal(3, await Index.GetVersionAsync(Id(3), Ct));
    }

    [Fact]
    public async Task A_delete_leaves_a_tombstone_that_blocks_an_older_upsert()
    {
        await SeedAsync(Artist("artist-0001", version: 1));
        Assert.Equal(1, await Index.ApplyAsync([new IndexOperation.Delete("artist-0001", 2)], Ct));
        await Index.RefreshAsync(Ct);

        var applied = await ApplyAsync(Artist("artist-0001", version: 2), Artist("artist-0001", version: 1));
        await Index.RefreshAsync(Ct);

        Assert.Equal(0, applied);
        Assert.Equal(2, await Index.GetVersionAsync("artist-0001", Ct));
        Assert.Equal(0, (await SearchAsync(new SearchRequest())).Total);
        Assert.Equal(0, await Index.CountAsync(Ct));
        Assert.Empty(await Index.ListAsync(Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_delete_of_an_artist_never_indexed_still_blocks_its_older_upserts()
    {
        Assert.Equal(1, await Index.ApplyAsync([new IndexOperation.Delete("artist-0001", 5)], Ct));

        Assert.Equal(0, await ApplyAsync(Artist("artist-0001", version: 4)));
        Assert.Equal(5, await Index.GetVersionAsync("artist-0001", Ct));
    }

    [Fact]
    public async Task A_newer_upsert_revives_a_deleted_artist()
    {
        await SeedAsync(Artist("artist-0001", version: 1));
        await Index.ApplyAsync([new IndexOperation.Delete("artist-0001", 2)], Ct);
        await Index.RefreshAsync(Ct);

        Assert.Equal(1, await ApplyAsync(Artist("artist-0001", version: 3) with { Name = "Back Again" }));
        await Index.RefreshAsync(Ct);

        Assert.Equal("Back Again", Assert.Single((await SearchAsync(new SearchRequest())).Hits).Document.Name);
        Assert.Equal(3, await Index.GetVersionAsync("artist-0001", Ct));
    }

    [Fact]
    public async Task Versions_of_unrefreshed_writes_are_honoured()
    {
        await ApplyAsync(Artist("artist-0001", version: 2));
        await Index.ApplyAsync([new IndexOperation.Delete("artist-0002", 9)], Ct);

        Assert.Equal(2, await Index.GetVersionAsync("artist-0001", Ct));
        Assert.Equal(9, await Index.GetVersionAsync("artist-0002", Ct));
        Assert.Equal(0, await ApplyAsync(Artist("artist-0001", version: 1), Artist("artist-0002", version: 8)));
    }

    [Fact]
    public async Task An_unknown_artist_has_no_version() =>
        Assert.Null(await Index.GetVersionAsync("artist-none", Ct));

    // ---- Refresh, commit, listing ------------------------------------------------------------

    [Fact]
    public async Task Writes_are_invisible_to_searches_until_a_refresh()
    {
        await ApplyAsync(Artist("artist-0001"));

        Assert.Equal(0, (await SearchAsync(new SearchRequest())).Total);
        Assert.Equal(0, await Index.CountAsync(Ct));

        await Index.RefreshAsync(Ct);

        Assert.Equal(1, (await SearchAsync(new SearchRequest())).Total);
        Assert.Equal(1, await Index.CountAsync(Ct));
    }

    [Fact]
    public async Task List_and_count_show_live_documents_with_their_versions_and_skip_tombstones()
    {
        await SeedAsync(Artist("artist-0001", version: 4), Artist("artist-0002", version: 7), Artist("artist-0003", version: 1));
        await Index.ApplyAsync([new IndexOperation.Delete("artist-0003", 2)], Ct);
        await Index.RefreshAsync(Ct);

        var listed = await Index.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal([("artist-0001", 4L), ("artist-0002", 7L)], listed.OrderBy(e => e.ArtistId, StringComparer.Ordinal));
        Assert.Equal(2, await Index.CountAsync(Ct));
    }

    [Fact]
    public async Task Committed_documents_versions_and_tombstones_survive_a_reopen()
    {
        await SeedAsync(Artist("artist-0001", version: 3) with { Name = "Rosa Thorn" }, Artist("artist-0002", version: 1));
        await Index.ApplyAsync([new IndexOperation.Delete("artist-0002", 6)], Ct);
        await Index.CommitAsync(Ct);

        var reopened = Reopen(Index);

        Assert.Equal(3, await reopened.GetVersionAsync("artist-0001", Ct));
        Assert.Equal(6, await reopened.GetVersionAsync("artist-0002", Ct));
        Assert.Equal(1, await reopened.CountAsync(Ct));
        var hit = Assert.Single((await reopened.SearchAsync(new SearchRequest { Text = "rosa" }, Ct)).Hits);
        Assert.Equal("artist-0001", hit.Document.ArtistId);
        Assert.Equal(0, await reopened.ApplyAsync([Upsert(Artist("artist-0002", version: 5))], Ct));
    }

    [Fact]
    public async Task A_search_returns_the_document_as_indexed()
    {
        var artist = Artist("artist-0001") with
        {
            StudioId = "studio-0001",
            StudioName = "Ink Works",
            InstagramHandle = "rosa.ink",
            AvatarUrl = "/blobs/avatar.webp",
            Thumbnails = ["/blobs/a.webp", "/blobs/b.webp"],
            Styles = ["blackwork", "fineline"],
        };
        await SeedAsync(artist);

        var hit = Assert.Single((await SearchAsync(new SearchRequest())).Hits);

        Assert.Equivalent(artist, hit.Document, strict: true);
        Assert.Null(hit.DistanceKm);
    }

    [Fact]
    public async Task A_very_long_bio_is_searchable_and_returned_whole()
    {
        var bio = string.Join(' ', Enumerable.Range(0, 12_000).Select(i => $"word{i}")) + " zebracorn";
        await SeedAsync(Artist("artist-0001") with { Bio = bio });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "zebracorn" })).Hits);

        Assert.Equal(bio, hit.Document.Bio);
    }

    [Fact]
    public async Task Oversized_values_do_not_stop_a_document_from_indexing()
    {
        var huge = new string('x', 40_000);
        await SeedAsync(Artist("artist-0001") with { Name = $"Rosa {huge}", City = huge, Styles = [huge, "blackwork"], StudioId = huge });

        var result = await SearchAsync(new SearchRequest { Text = "rosa", Sort = SearchSort.Name });

        Assert.Equal(["artist-0001"], Ids(result));
        Assert.Equal(1, (await SearchAsync(new SearchRequest { Styles = ["blackwork"] })).Total);
    }
}
