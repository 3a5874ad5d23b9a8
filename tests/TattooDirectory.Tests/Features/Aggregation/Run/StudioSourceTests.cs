using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Aggregation.Discovery;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>Each discovery source against the demo web's Overpass, Places and static list answers.</summary>
public sealed class StudioSourceTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HashSet<string> LeedsSites => [.. demo.Web.Manifest.Sites.Where(s => s.City == "Leeds").Select(s => StudioListings.SiteKey(new Uri(s.BaseUrl)))];

    [Theory]
    [InlineData("overpass")]
    [InlineData("google-places")]
    [InlineData("static-list")]
    public async Task A_source_lists_every_demo_studio_site_of_the_city_and_none_elsewhere(string source)
    {
        await using var rig = new AggregationRig(demo.Web);

        var studios = await rig.Source(source).DiscoverAsync("leeds", Ct);

        Assert.Equal(LeedsSites, [.. studios.Where(s => s.Website is not null).Select(s => StudioListings.SiteKey(s.Website!))]);
        Assert.All(studios, s => Assert.Equal("Leeds", s.City));
        Assert.All(studios, s => Assert.Equal(source, s.Source));
        var site = demo.Web.Manifest.Sites.First(s => s.City == "Leeds");
        var listed = studios.Single(s => s.Website is { } w && StudioListings.SiteKey(w) == StudioListings.SiteKey(new Uri(site.BaseUrl)));
        Assert.Equal(site.Name, listed.Name);
        Assert.Equal(site.Postcode, listed.Postcode);
        Assert.NotNull(listed.Geo);
        Assert.Equal(site.Lat, listed.Geo!.Value.Lat, 4);
    }

    [Fact]
    public async Task The_maps_also_list_studios_without_a_website_which_get_ids_of_their_own()
    {
        await using var rig = new AggregationRig(demo.Web);
        var withoutSite = demo.Web.Manifest.WithoutWebsite.Where(l => l.City == "Leeds").Select(l => l.Name).ToHashSet();
        Assert.NotEmpty(withoutSite);

        var studios = await rig.Source("overpass").DiscoverAsync("Leeds", Ct);

        var listed = studios.Where(s => s.Website is null).ToList();
        Assert.Equal(withoutSite, [.. listed.Select(s => s.Name)]);
        Assert.All(listed, s => Assert.StartsWith("studio-", s.StudioId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merging_the_three_sources_keeps_one_studio_per_website_and_per_name_and_postcode()
    {
        await using var rig = new AggregationRig(demo.Web);
        var all = new List<DiscoveredStudio>();
        foreach (var source in new[] { "overpass", "google-places", "static-list" }) all.AddRange(await rig.Source(source).DiscoverAsync("Leeds", Ct));

        var merged = StudioListings.Merge(all);

        Assert.Equal(LeedsSites.Count + demo.Web.Manifest.WithoutWebsite.Count(l => l.City == "Leeds"), merged.Count);
        Assert.Equal(merged.Count, merged.Select(s => s.StudioId).Distinct().Count());
        Assert.True(all.Count > merged.Count);
    }

    [Fact]
    public async Task An_unconfigured_source_is_off_and_a_failing_one_reports_why()
    {
        await using var off = new AggregationRig(demo.Web, new Dictionary<string, string?> { ["Aggregation:Sources:GooglePlaces:ApiKey"] = "" });
        Assert.False(off.Source("google-places").Enabled);
        await using var wrong = new AggregationRig(demo.Web, new Dictionary<string, string?> { ["Aggregation:Sources:StaticList:Url"] = demo.Web.ControlUri + "no-such-list.json" });

        var failure = await Assert.ThrowsAsync<StudioSourceException>(() => wrong.Source("static-list").DiscoverAsync("Leeds", Ct));

        Assert.Equal("Http 404", failure.Reason);
        Assert.False(failure.Retryable);
    }
}
