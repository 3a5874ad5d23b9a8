using System.Net;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Artists;

public sealed class SearchApiTests(SeededDirectory directory)
{
    private DirectoryHost Host => directory.Host;

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static string[] Styles(JsonElement item) => [.. item.GetProperty("styles").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Blackwork_in_Leeds_returns_only_blackwork_artists_nearest_first_with_facets_and_totals()
    {
        var result = await Host.GetJsonAsync("/v1/artists?styles=blackwork&location=Leeds&sort=distance&limit=50");

        var items = Items(result).ToList();
        var total = result.GetProperty("total").GetInt32();
        Assert.NotEmpty(items);
        Assert.Equal("Leeds", result.GetProperty("resolvedLocation").GetString());
        Assert.All(items, i => Assert.Contains("blackwork", Styles(i)));
        Assert.All(items, i => Assert.Equal("Leeds", i.GetProperty("city").GetString()));
        var distances = items.Select(i => i.GetProperty("distanceKm").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.All(distances, d => Assert.InRange(d, 0, 25));
        Assert.Equal(Math.Min(total, 50), items.Count);

        var facets = result.GetProperty("facets");
        var blackworkFacet = facets.GetProperty("styles").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "blackwork");
        Assert.Equal(total, blackworkFacet.GetProperty("count").GetInt32());
        Assert.Equal("Blackwork", blackworkFacet.GetProperty("name").GetString());
        Assert.Equal(total, facets.GetProperty("cities").EnumerateArray().Sum(c => c.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_location_without_keyword_sorts_by_distance_by_default()
    {
        var result = await Host.GetJsonAsync("/v1/artists?location=LS6&limit=30");
        var distances = Items(result).Select(i => i.GetProperty("distanceKm").GetDouble()).ToList();
        Assert.NotEmpty(distances);
        Assert.Equal(distances.Order(), distances);
    }

    [Fact]
    public async Task Pages_do_not_overlap_and_add_up_to_the_total()
    {
        var first = await Host.GetJsonAsync("/v1/artists?location=Manchester&limit=7&page=1");
        var total = first.GetProperty("total").GetInt32();
        Assert.True(total > 7, $"expected more than one page of Manchester artists, got {total}");
        var seen = new List<string>();
        for (var page = 1; page <= (total + 6) / 7; page++)
        {
            var result = await Host.GetJsonAsync($"/v1/artists?location=Manchester&limit=7&page={page}");
            Assert.Equal(total, result.GetProperty("total").GetInt32());
            Assert.Equal(page * 7 < total, result.GetProperty("hasMore").GetBoolean());
            seen.AddRange(Items(result).Select(i => i.GetProperty("artistId").GetString()!));
        }
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
        var beyond = await Host.GetJsonAsync($"/v1/artists?location=Manchester&limit=7&page={(total / 7) + 5}");
        Assert.Empty(Items(beyond));
        Assert.False(beyond.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Without_keyword_or_place_results_rank_by_rating_then_review_count()
    {
        var result = await Host.GetJsonAsync("/v1/artists?limit=50");
        var ranks = Items(result).Select(i => (Rating: i.GetProperty("rating").GetDouble(), Reviews: i.GetProperty("reviewCount").GetInt32())).ToList();
        var expected = ranks.OrderByDescending(r => r.Rating).ThenByDescending(r => r.Reviews).ToList();
        Assert.Equal(expected, ranks);
        Assert.True(result.GetProperty("total").GetInt32() >= 300);
    }

    [Fact]
    public async Task An_artist_is_found_by_name_even_with_a_typo()
    {
        var some = Items(await Host.GetJsonAsync("/v1/artists?limit=1&sort=name")).Single();
        var name = some.GetProperty("name").GetString()!;
        var id = some.GetProperty("artistId").GetString()!;
        var exact = await Host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(name)}");
        Assert.Equal(id, Items(exact).First().GetProperty("artistId").GetString());

        var surname = name.Split(' ')[^1];
        var typo = surname.Length > 4 ? surname[..2] + surname[3] + surname[2] + surname[4..] : surname;
        var fuzzy = await Host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(typo)}&limit=50");
        Assert.Contains(id, Items(fuzzy).Select(i => i.GetProperty("artistId").GetString()));
    }

    [Fact]
    public async Task Style_aliases_are_accepted_and_an_unknown_style_is_a_problem_listing_the_valid_ids()
    {
        var alias = await Host.GetJsonAsync("/v1/artists?styles=neo_trad,watercolor");
        Assert.All(Items(alias), i => Assert.True(Styles(i).Intersect(["neo-traditional", "watercolour"]).Any()));

        using var response = await Host.Client.GetAsync("/v1/artists?styles=pottery", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var message = problem.GetProperty("errors").GetProperty("styles")[0].GetString()!;
        Assert.Contains("neo-traditional", message);
        Assert.Contains("pottery", message);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task A_postcode_district_resolves_by_its_locality_name_too()
    {
        var result = await Host.GetJsonAsync("/v1/artists?location=Headingley&limit=5");
        Assert.Equal("LS6", result.GetProperty("resolvedLocation").GetString());
        Assert.NotEmpty(Items(result));
    }

    [Fact]
    public async Task Responses_carry_an_etag_and_revalidate_to_304()
    {
        using var first = await Host.Client.GetAsync("/v1/artists?styles=japanese", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("public", first.Headers.CacheControl!.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/artists?styles=japanese");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await Host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);

        // A weak validator from an intermediary matches too (RFC 9110 weak comparison).
        using var weak = new HttpRequestMessage(HttpMethod.Get, "/v1/artists?styles=japanese");
        weak.Headers.TryAddWithoutValidation("If-None-Match", "W/" + etag.Tag);
        using var third = await Host.Client.SendAsync(weak, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, third.StatusCode);
    }

    [Theory]
    [InlineData("/v1/artists?styles=japanese")]
    [InlineData("/v1/styles")]
    [InlineData("/v1/studios")]
    public async Task HEAD_answers_like_GET_without_a_body(string url)
    {
        using var head = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), TestContext.Current.CancellationToken);
        using var get = await Host.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_styles_endpoint_lists_the_vocabulary_with_live_counts()
    {
        var styles = (await Host.GetJsonAsync("/v1/styles")).EnumerateArray().ToList();
        Assert.Equal(17, styles.Count);
        Assert.All(styles, s => Assert.True(s.GetProperty("artistCount").GetInt32() > 0, $"{s.GetProperty("id")} has no artists"));
        var blackwork = styles.Single(s => s.GetProperty("id").GetString() == "blackwork").GetProperty("artistCount").GetInt32();
        Assert.Equal(blackwork, (await Host.GetJsonAsync("/v1/artists?styles=blackwork&limit=1")).GetProperty("total").GetInt32());
    }
}
