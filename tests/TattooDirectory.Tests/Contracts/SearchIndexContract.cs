using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

/// <summary>
/// The behaviour every <see cref="ISearchIndex"/> adapter must show (product.md §5–6). A subclass
/// supplies an empty index on fresh storage and a way to reopen it.
/// </summary>
public abstract class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
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

    // ---- Text ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("Blackwell")]
    [InlineData("blakwell")]     // one edit
    [InlineData("blakwel")]      // two edits on a long term
    [InlineData("rosa bla")]     // the last term is a prefix while typing
    [InlineData("ROSA")]
    public async Task Text_finds_names_despite_case_typos_and_unfinished_words(string text)
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Blackwell" }, Artist("artist-0002") with { Name = "Kim Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = text })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
    }

    [Fact]
    public async Task Short_terms_must_match_exactly()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Jo Lee" });

        Assert.Equal(0, (await SearchAsync(new SearchRequest { Text = "ja lee" })).Total);
        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "jo lee" })).Total);
    }

    [Fact]
    public async Task Every_term_must_match_somewhere()
    {
        await SeedAsync(
            Artist("artist-0001") with { Name = "Rosa Thorn", City = "Leeds", LocationDisplay = "Leeds" },
            Artist("artist-0002") with { Name = "Rosa Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "rosa manchester" })).Hits);

        Assert.Equal("artist-0002", hit.Document.ArtistId);
    }

    [Fact]
    public async Task A_name_match_ranks_above_a_bio_match()
    {
        await SeedAsync(
            Artist("artist-aaaa") with { Name = "Kim Vale", Bio = "Trained for years alongside rosa in a busy city studio." },
            Artist("artist-zzzz") with { Name = "Rosa Thorn", Bio = "Colour work and cover-ups." });

        var result = await SearchAsync(new SearchRequest { Text = "rosa", Sort = SearchSort.Relevance });

        Assert.Equal(["artist-zzzz", "artist-aaaa"], Ids(result));
    }

    [Fact]
    public async Task An_exact_term_ranks_above_a_typo_neighbour()
    {
        await SeedAsync(Artist("artist-aaaa") with { Name = "Marc Lowe" }, Artist("artist-zzzz") with { Name = "Mark Lowe" });

        var result = await SearchAsync(new SearchRequest { Text = "mark", Sort = SearchSort.Relevance });

        Assert.Equal(["artist-zzzz", "artist-aaaa"], Ids(result));
    }

    [Theory]
    [InlineData("ink works")]
    [InlineData("@rosa_tattoos")]
    [InlineData("neo traditional")]
    [InlineData("Neo-Traditional")]
    [InlineData("neotraditional")]
    [InlineData("blackwork")]
    [InlineData("ancoats")]
    [InlineData("koi")]
    [InlineData("backpeices")]   // a typo on the fifth field: fuzzy matching is not only for names
    [InlineData("ancoat")]       // prefix on the location
    public async Task Text_matches_studio_handle_styles_location_and_bio(string text)
    {
        await SeedAsync(
            Artist("artist-0001") with
            {
                Name = "Rosa Thorn",
                StudioName = "Ink Works",
                InstagramHandle = "rosa_tattoos",
                Styles = ["neo-traditional", "blackwork"],
                LocationDisplay = "Ancoats, Manchester",
                Bio = "Large koi backpieces.",
            },
            Artist("artist-0002") with { Name = "Kim Vale", Styles = ["traditional", "realism"], LocationDisplay = "Salford" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = text })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
    }

    [Fact]
    public async Task Accents_are_ignored_on_both_sides()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Zoë Ménard" });

        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "zoe menard" })).Total);
        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "ZOË" })).Total);
    }

    [Fact]
    public async Task Query_syntax_characters_are_separators_not_operators()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Thorn" }, Artist("artist-0002") with { Name = "Kim Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "(rosa) [thorn]^ -\"" })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
        Assert.Equal(0, (await SearchAsync(new SearchRequest { Text = "rosa OR kim" })).Total);
    }

    public static TheoryData<string> HostileInputs => ["syntax", "operators", "huge", "many-terms", "emoji", "rtl", "nul", "whitespace"];

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Hostile_text_never_throws(string kind)
    {
        var text = kind switch
        {
            "syntax" => "AND OR NOT * ? ~ ^ \" : ( ) [ ] { } \\ / + - && || !",
            "operators" => "name:rosa~2^10 AND bio:[* TO *] OR /reg.*ex/ \"unclosed",
            "huge" => new string('a', 10_000),
            "many-terms" => string.Join(' ', Enumerable.Range(0, 2_000).Select(i => $"w{i}")),
            "emoji" => "🖤🐉 rosa 👩🏽‍🎨",
            "rtl" => "שלום مرحبا rosa",
            "nul" => "ro\0sa \0\0",
            _ => " \t\r\n ",
        };
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Thorn" });

        foreach (var sort in Enum.GetValues<SearchSort>())
        {
            var result = await SearchAsync(new SearchRequest { Text = text, LocationText = text, Sort = sort });
            Assert.InRange(result.Total, 0, 1);
        }
    }

    // ---- Filters --------------------------------------------------------------------------------

    [Fact]
    public async Task Styles_filter_matches_any_of_the_given_ids_exactly()
    {
        await SeedAsync(
            Artist("artist-0001") with { Styles = ["blackwork"] },
            Artist("artist-0002") with { Styles = ["fineline", "floral"] },
            Artist("artist-0003") with { Styles = ["japanese"] },
            Artist("artist-0004") with { Styles = [] });

        var result = await SearchAsync(new SearchRequest { Styles = ["blackwork", "fineline"] });

        Assert.Equal(["artist-0001", "artist-0002"], Ids(result).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await SearchAsync(new SearchRequest { Styles = ["black"] })).Total);
    }

    [Fact]
    public async Task Studio_filter_keeps_only_that_studios_artists()
    {
        await SeedAsync(Artist("artist-0001") with { StudioId = "studio-0001" }, Artist("artist-0002") with { StudioId = "studio-0002" }, Artist("artist-0003"));

        Assert.Equal(["artist-0002"], Ids(await SearchAsync(new SearchRequest { StudioId = "studio-0002" })));
    }

    [Fact]
    public async Task Location_text_matches_city_or_location_display()
    {
        await SeedAsync(
            Artist("artist-0001") with { City = "Leeds", LocationDisplay = "Chapel Allerton, Leeds" },
            Artist("artist-0002") with { City = "Manchester", LocationDisplay = "Chorlton, Manchester" });

        Assert.Equal(["artist-0001"], Ids(await SearchAsync(new SearchRequest { LocationText = "leeds" })));
        Assert.Equal(["artist-0002"], Ids(await SearchAsync(new SearchRequest { LocationText = "Chorlton" })));
        Assert.Equal(0, (await SearchAsync(new SearchRequest { LocationText = "Chapel Chorlton" })).Total);
    }

    [Fact]
    public async Task Geo_filter_keeps_artists_inside_the_radius_and_reports_their_distance()
    {
        await SeedAsync(
            Artist("artist-north24") with { Geo = Offset(Manchester, 24, bearingDegrees: 0) },
            Artist("artist-north26") with { Geo = Offset(Manchester, 26, bearingDegrees: 0) },
            Artist("artist-west23") with { Geo = Offset(Manchester, 23, bearingDegrees: 270) },
            Artist("artist-east26") with { Geo = Offset(Manchester, 26, bearingDegrees: 90) },
            Artist("artist-ne249") with { Geo = Offset(Manchester, 24.9, bearingDegrees: 45) });

        var result = await SearchAsync(new SearchRequest { Geo = new GeoFilter(Manchester, 25), Sort = SearchSort.Distance });

        Assert.Equal(3, result.Total);
        Assert.Equal(["artist-west23", "artist-north24", "artist-ne249"], Ids(result));
        Assert.Equal([23, 24, 24.9], result.Hits.Select(h => Math.Round(h.DistanceKm!.Value, 2)));
    }

    [Theory]
    [InlineData(53.4808, -2.2426, 2)]
    [InlineData(53.4808, -2.2426, 60)]
    [InlineData(53.4808, -2.2426, 300)]
    [InlineData(53.4808, -2.2426, 1500)]
    [InlineData(-17.7134, 179.95, 40)]     // across the antimeridian
    [InlineData(89.9, 0, 50)]              // over the pole
    public async Task Geo_filter_is_exact_at_every_radius_and_place(double lat, double lon, double radiusKm)
    {
        var center = new GeoPoint(lat, lon);
        var bearings = new[] { 0.0, 70, 135, 200, 290 };
        await SeedAsync(
        [
            .. bearings.Select((b, i) => Artist($"artist-in{i:00}") with { Geo = Offset(center, radiusKm * 0.97, b) }),
            .. bearings.Select((b, i) => Artist($"artist-out{i:00}") with { Geo = Offset(center, radiusKm * 1.03, b) }),
        ]);

        var result = await SearchAsync(new SearchRequest { Geo = new GeoFilter(center, radiusKm), Limit = 50 });

        Assert.Equal(bearings.Select((_, i) => $"artist-in{i:00}"), Ids(result).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Opted_out_artists_never_appear_but_keep_their_version()
    {
        await SeedAsync(
            Artist("artist-0001") with { Name = "Hidden Person", OptedOut = true, Styles = ["anime"], City = "York" },
            Artist("artist-0002") with { Name = "Shown Person" });

        Assert.Equal(0, (await SearchAsync(new SearchRequest { Text = "hidden" })).Total);
        var all = await SearchAsync(new SearchRequest());
        Assert.Equal(["artist-0002"], Ids(all));
        Assert.DoesNotContain(all.StyleFacets, f => f.Value == "anime");
        Assert.DoesNotContain(all.CityFacets, f => f.Value == "York");
        Assert.Equal(1, await Index.GetVersionAsync("artist-0001", Ct));
    }

    // ---- Facets ---------------------------------------------------------------------------------

    [Fact]
    public async Task Facets_count_only_the_filtered_set_by_count_then_value()
    {
        await SeedAsync(
            Artist("artist-0001") with { Styles = ["blackwork"], City = "Leeds" },
            Artist("artist-0002") with { Styles = ["blackwork", "fineline"], City = "Manchester" },
            Artist("artist-0003") with { Styles = ["japanese"], City = "Manchester" },
            Artist("artist-0004") with { Styles = ["dotwork", "fineline"], City = "Bolton" });

        var all = await SearchAsync(new SearchRequest());
        var filtered = await SearchAsync(new SearchRequest { Styles = ["blackwork"] });

        Assert.Equal([new("Manchester", 2), new("Bolton", 1), new("Leeds", 1)], all.CityFacets);
        Assert.Equal([new("blackwork", 2), new("fineline", 2), new("dotwork", 1), new("japanese", 1)], all.StyleFacets);
        Assert.Equal([new("blackwork", 2), new("fineline", 1)], filtered.StyleFacets);
        Assert.Equal([new("Leeds", 1), new("Manchester", 1)], filtered.CityFacets);
    }

    // ---- Sorting and paging ----------------------------------------------------------------------

    [Fact]
    public async Task Rating_sort_orders_by_rating_then_review_count_then_id()
    {
        await SeedAsync(
            Artist("artist-0001") with { Rating = 4.9, ReviewCount = 10 },
            Artist("artist-0004") with { Rating = 4.9, ReviewCount = 50 },
            Artist("artist-0002") with { Rating = 3.0, ReviewCount = 100 },
            Artist("artist-0003") with { Rating = 4.9, ReviewCount = 50 });

        var result = await SearchAsync(new SearchRequest { Sort = SearchSort.Rating });

        Assert.Equal(["artist-0003", "artist-0004", "artist-0001", "artist-0002"], Ids(result));
    }

    [Fact]
    public async Task Name_sort_ignores_case_and_accents()
    {
        await SeedAsync(
            Artist("artist-0001") with { Name = "bob" },
            Artist("artist-0002") with { Name = "Zed" },
            Artist("artist-0003") with { Name = "Émile" },
            Artist("artist-0004") with { Name = "alice" },
            Artist("artist-0005") with { Name = "Charlie" });

        var result = await SearchAsync(new SearchRequest { Sort = SearchSort.Name });

        Assert.Equal(["alice", "bob", "Charlie", "Émile", "Zed"], result.Hits.Select(h => h.Document.Name));
    }

    [Fact]
    public async Task Distance_sort_orders_nearest_first()
    {
        await SeedAsync(
            Artist("artist-0001") with { Geo = Offset(Manchester, 15, 90) },
            Artist("artist-0002") with { Geo = Offset(Manchester, 5, 180) },
            Artist("artist-0003") with { Geo = Offset(Manchester, 10, 0) });

        var result = await SearchAsync(new SearchRequest { Geo = new GeoFilter(Manchester, 50), Sort = SearchSort.Distance });

        Assert.Equal(["artist-0002", "artist-0003", "artist-0001"], Ids(result));
        Assert.Equal(result.Hits.Select(h => h.DistanceKm), result.Hits.Select(h => h.DistanceKm).Order());
    }

    [Fact]
    public async Task Distance_sort_without_a_point_falls_back_to_rating()
    {
        await SeedAsync(Artist("artist-0001") with { Rating = 3 }, Artist("artist-0002") with { Rating = 5 });

        var result = await SearchAsync(new SearchRequest { Sort = SearchSort.Distance });

        Assert.Equal(["artist-0002", "artist-0001"], Ids(result));
        Assert.All(result.Hits, hit => Assert.Null(hit.DistanceKm));
    }

    [Theory]
    [InlineData(SearchSort.Relevance)]
    [InlineData(SearchSort.Rating)]
    [InlineData(SearchSort.Name)]
    [InlineData(SearchSort.Distance)]
    public async Task Ties_break_by_artist_id_so_pages_are_stable(SearchSort sort)
    {
        var ids = new[] { "artist-0005", "artist-0002", "artist-0007", "artist-0001", "artist-0006", "artist-0003", "artist-0004" };
        await SeedAsync([.. ids.Select(id => Artist(id) with { Name = "Same Name" })]);

        var paged = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var result = await SearchAsync(new SearchRequest { Text = "same", Geo = new GeoFilter(Manchester, 5), Sort = sort, Page = page, Limit = 3 });
            Assert.Equal(7, result.Total);
            Assert.Equal(page < 3 ? 3 : 1, result.Hits.Count);
            paged.AddRange(Ids(result));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), paged);
    }

    [Fact]
    public async Task Paging_keeps_the_total_and_a_page_past_the_end_is_empty()
    {
        await SeedAsync([.. Enumerable.Range(0, 25).Select(i => Artist($"artist-{i:0000}") with { Rating = i % 5 })]);

        var first = await SearchAsync(new SearchRequest { Limit = 10 });
        var last = await SearchAsync(new SearchRequest { Limit = 10, Page = 3 });
        var beyond = await SearchAsync(new SearchRequest { Limit = 10, Page = 4 });
        var all = await SearchAsync(new SearchRequest { Limit = 100 });

        Assert.Equal([25, 25, 25], new[] { first.Total, last.Total, beyond.Total });
        Assert.Equal(10, first.Hits.Count);
        Assert.Equal(5, last.Hits.Count);
        Assert.Empty(beyond.Hits);
        Assert.Equal(Ids(all).Take(10), Ids(first));
        Assert.Equal(Ids(all).Skip(20), Ids(last));
    }

    // ---- Helpers --------------------------------------------------------------------------------

    protected static ArtistDocument Artist(string id, long version = 1) => new()
    {
        ArtistId = id,
        Version = version,
        Name = "Sam Example",
        City = "Manchester",
        LocationDisplay = "Northern Quarter, Manchester",
        Geo = Manchester,
        Styles = ["illustrative"],
        Bio = "Custom pieces by appointment.",
        Rating = 4.5,
        ReviewCount = 10,
    };

    protected static IndexOperation Upsert(ArtistDocument document) => new IndexOperation.Upsert(document);

    protected Task<int> ApplyAsync(params ArtistDocument[] documents) =>
        Index.ApplyAsync([.. documents.Select(Upsert)], Ct);

    protected async Task SeedAsync(params ArtistDocument[] documents)
    {
        Assert.Equal(documents.Length, await ApplyAsync(documents));
        await Index.RefreshAsync(Ct);
    }

    protected Task<SearchResult> SearchAsync(SearchRequest request) => Index.SearchAsync(request, Ct);

    protected static IReadOnlyList<string> Ids(SearchResult result) => [.. result.Hits.Select(h => h.Document.ArtistId)];

    /// <summary>The point <paramref name="km"/> away along a great circle (spherical Earth, mean radius).</summary>
    protected static GeoPoint Offset(GeoPoint from, double km, double bearingDegrees)
    {
        const double earthRadiusKm = 6371.0088;
        var angular = km / earthRadiusKm;
        var bearing = double.DegreesToRadians(bearingDegrees);
        var lat1 = double.DegreesToRadians(from.Lat);
        var lon1 = double.DegreesToRadians(from.Lon);
        var lat2 = Math.Asin((Math.Sin(lat1) * Math.Cos(angular)) + (Math.Cos(lat1) * Math.Sin(angular) * Math.Cos(bearing)));
        var lon2 = lon1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(angular) * Math.Cos(lat1), Math.Cos(angular) - (Math.Sin(lat1) * Math.Sin(lat2)));
        return new GeoPoint(double.RadiansToDegrees(lat2), ((double.RadiansToDegrees(lon2) + 540) % 360) - 180);
    }
}
