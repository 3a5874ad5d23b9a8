using System.Globalization;
using System.Text.RegularExpressions;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>/artists: the search form's results, from the same search as the API, with the state in the URL.</summary>
public sealed partial class SearchPageTests(SeededDirectory directory)
{
    private DirectoryHost Host => directory.Host;

    [Fact]
    public async Task Searching_a_place_and_styles_lists_only_those_styles_as_contract_cards()
    {
        var page = await Host.GetPageAsync("/artists?query=&styles=blackwork&styles=neo-traditional&location=Leeds&radiusKm=25&sort=");

        var total = int.Parse(CountPattern().Match(page.One("#results p.result-count[role=status]").Text()).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var cards = page.All("#results ol.results > li.artist-card");
        Assert.InRange(cards.Count, 1, 24);
        Assert.Equal(Math.Min(total, 24), cards.Count);
        foreach (var card in cards)
        {
            var id = card.GetAttribute("data-artist-id")!;
            Assert.StartsWith("artist-", id);
            Assert.Equal($"/artists/{id}", card.QuerySelector("a.artist-link")!.GetAttribute("href"));
            var styles = card.QuerySelectorAll("ul.artist-styles > li[data-style]").Select(s => s.GetAttribute("data-style")).ToList();
            Assert.True(styles.Contains("blackwork") || styles.Contains("neo-traditional"), $"{id} has neither style: {string.Join(",", styles)}");
            var thumbs = card.QuerySelectorAll(".thumbs img");
            Assert.InRange(thumbs.Length, 0, 3);
            Assert.All(thumbs, t =>
            {
                Assert.Equal("lazy", t.GetAttribute("loading"));
                Assert.Contains("-thumb", t.GetAttribute("src"), StringComparison.Ordinal);
                Assert.StartsWith("Portfolio piece by ", t.GetAttribute("alt"), StringComparison.Ordinal);
            });
            Assert.Matches(@"km away", card.QuerySelector(".distance")!.Text());
        }
        Assert.True(page.One("#style-blackwork").HasAttribute("checked"));
        Assert.True(page.One("#style-neo-traditional").HasAttribute("checked"));
        Assert.False(page.One("#style-realism").HasAttribute("checked"));
        Assert.Equal("Leeds", page.One("#location").GetAttribute("value"));
        Assert.True(page.One("#radiusKm option[value='25']").HasAttribute("selected"));
    }

    [Fact]
    public async Task The_page_shows_the_same_artists_in_the_same_order_as_the_api()
    {
        var repeated = await Host.GetPageAsync("/artists?styles=blackwork&styles=neo-traditional&location=Leeds");
        var commas = await Host.GetPageAsync("/artists?styles=blackwork,neotraditional&location=Leeds");
        var api = await Host.ApiIdsAsync("styles=blackwork,neo-traditional&location=Leeds&limit=24");

        Assert.Equal(api, repeated.CardIds);
        Assert.Equal(api, commas.CardIds);
        Assert.Equal(await Host.ApiIdsAsync("query=leeds%20realism&limit=24"), (await Host.GetPageAsync("/artists?query=leeds+realism")).CardIds);
    }

    [Fact]
    public async Task Style_counts_say_how_many_artists_each_box_would_match_under_the_other_filters()
    {
        var page = await Host.GetPageAsync("/artists?location=Leeds&styles=blackwork");

        foreach (var style in new[] { "realism", "blackwork", "japanese" })
        {
            var expected = (await Host.GetJsonAsync($"/v1/artists?location=Leeds&styles={style}&limit=1")).GetProperty("total").GetInt32();
            Assert.Equal($"({expected})", page.One($"label[for=style-{style}] span.count").Text());
        }
    }

    [Theory]
    [InlineData("/artists?styles=nope&location=Leeds", "styles", "nope")]
    [InlineData("/artists?location=Leeds&radiusKm=999", "radiusKm", "radiusKm must be a number")]
    [InlineData("/artists?sort=distance", "sort", "needs a location")]
    [InlineData("/artists?query=" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "query", "at most 100")]
    public async Task A_bad_search_is_explained_beside_its_field_instead_of_failing(string url, string field, string message)
    {
        var page = await Host.GetPageAsync(url);

        Assert.Contains(message, page.One($"#{field}-error").Text(), StringComparison.Ordinal);
        var control = field == "styles" ? page.One("fieldset.styles-field") : page.One($"#{field}");
        Assert.Equal($"{field}-error", control.GetAttribute("aria-describedby"));
        if (field != "styles") Assert.Equal("true", control.GetAttribute("aria-invalid"));
        Assert.Empty(page.All("ol.results"));
        Assert.NotNull(page.One("#results p.result-count[role=status]"));
        Assert.Contains(message, page.One(".error-summary").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_style_values_is_reported_as_unknown_styles()
    {
        var junk = string.Join(',', Enumerable.Range(0, 5_000).Select(i => $"s{i}"));
        var page = await Host.GetPageAsync($"/artists?styles={junk}&styles=blackwork");

        Assert.Contains("Unknown style(s): s0, s1, s2, s3, s4", page.One("#styles-error").Text(), StringComparison.Ordinal);
        Assert.Empty(page.All("ol.results"));
    }

    [Fact]
    public async Task A_page_number_that_is_not_a_number_is_reported_not_thrown()
    {
        var page = await Host.GetPageAsync("/artists?page=abc");
        Assert.Contains("page must be a whole number", page.One(".error-summary").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_form_submission_lists_every_artist()
    {
        var page = await Host.GetPageAsync("/artists?query=&location=&radiusKm=25&sort=");
        var all = (await Host.GetJsonAsync("/v1/artists?limit=1")).GetProperty("total").GetInt32();

        Assert.Empty(page.All(".error-summary"));
        Assert.Equal($"{all.ToString("N0", CultureInfo.InvariantCulture)} artists", page.One("p.result-count").Text());
    }

    [Fact]
    public async Task Pagination_moves_one_page_and_keeps_the_filters()
    {
        var first = await Host.GetPageAsync("/artists?styles=realism&sort=name");
        Assert.Empty(first.All("nav.pagination a[rel=prev]"));
        var next = first.One("nav.pagination[aria-label=Pagination] a[rel=next]").GetAttribute("href")!;
        Assert.Equal("/artists?styles=realism&sort=name&page=2", next);

        var second = await Host.GetPageAsync(next);
        Assert.Equal("/artists?styles=realism&sort=name", second.One("nav.pagination a[rel=prev]").GetAttribute("href"));
        Assert.Equal(await Host.ApiIdsAsync("styles=realism&sort=name&limit=24&page=2"), second.CardIds);
        Assert.Empty(first.CardIds.Intersect(second.CardIds));
    }

    [Fact]
    public async Task The_map_view_keeps_the_list_and_pins_every_result_on_the_page()
    {
        var page = await Host.GetPageAsync("/artists?location=Leeds&styles=blackwork&view=map");

        var map = page.One("#results div#results-map.results-map");
        Assert.Equal("", map.GetAttribute("data-tiles"));
        var pins = map.Pins().EnumerateArray().ToList();
        var ids = page.CardIds;
        Assert.NotEmpty(ids);
        Assert.Equal(ids, pins.Select(p => p.GetProperty("id").GetString()));
        Assert.All(pins, p =>
        {
            Assert.Equal($"/artists/{p.GetProperty("id").GetString()}", p.GetProperty("url").GetString());
            Assert.False(string.IsNullOrEmpty(p.GetProperty("name").GetString()));
            Assert.InRange(p.GetProperty("lat").GetDouble(), 53.4, 54.2);
            Assert.InRange(p.GetProperty("lon").GetDouble(), -2.0, -1.1);
        });
        Assert.Equal("map", page.One("form.search-form input[type=hidden][name=view]").GetAttribute("value"));

        var toggles = page.All("a.view-toggle").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains("/artists?styles=blackwork&location=Leeds&view=grid", toggles);
        Assert.Contains("/artists?styles=blackwork&location=Leeds&view=map", toggles);
        Assert.Empty((await Host.GetPageAsync("/artists?location=Leeds&styles=blackwork")).All("#results-map"));
    }

    [GeneratedRegex(@"^([\d,]+) artists?$")]
    private static partial Regex CountPattern();
}
