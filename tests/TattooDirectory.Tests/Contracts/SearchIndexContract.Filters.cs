using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

public abstract partial class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
{
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
}
