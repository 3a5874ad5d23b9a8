using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.DemoWeb;

public sealed class DemoWebDiscoveryTests(DemoWebFixture web) : IClassFixture<DemoWebFixture>
{
    private const string AllTattooShops = """
        [out:json][timeout:25];
        (
          node["shop"="tattoo"];
          way["shop"="tattoo"];
        );
        out center;
        """;

    private const string PlacesMask = "places.id,places.displayName,places.formattedAddress,places.location,places.websiteUri,nextPageToken";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DemoWebManifest Manifest => web.Manifest;

    private IEnumerable<string> SiteUrls(Func<ManifestSite, bool>? where = null) => Manifest.Sites.Where(where ?? (_ => true)).Select(s => s.BaseUrl).Order();

    [Fact]
    public async Task Overpass_answers_a_shop_tattoo_query_with_an_element_for_every_studio()
    {
        var root = await OverpassAsync(AllTattooShops);
        Assert.Equal(0.6, root.GetProperty("version").GetDouble());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("generator").GetString()));
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("osm3s").GetProperty("timestamp_osm_base").GetString(), CultureInfo.InvariantCulture, out _));
        var elements = root.GetProperty("elements").EnumerateArray().ToList();
        Assert.All(elements, e =>
        {
            Assert.True(e.GetProperty("id").GetInt64() > 0);
            Assert.Equal("tattoo", e.GetProperty("tags").GetProperty("shop").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("tags").GetProperty("name").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("tags").GetProperty("addr:postcode").GetString()));
        });
        Assert.Equal(SiteUrls(), elements.Select(Website).OfType<string>().Order());
        Assert.Equal(Manifest.WithoutWebsite.Select(l => l.Name).Order(), elements.Where(e => Website(e) is null).Select(e => e.GetProperty("tags").GetProperty("name").GetString()).Order());

        var sites = Manifest.Sites.ToDictionary(s => s.BaseUrl);
        var nodes = elements.Where(e => e.GetProperty("type").GetString() == "node").ToList();
        var ways = elements.Where(e => e.GetProperty("type").GetString() == "way").ToList();
        Assert.NotEmpty(nodes);
        Assert.NotEmpty(ways);
        Assert.All(nodes.Where(e => Website(e) is not null), n => Assert.Equal((sites[Website(n)!].Lat, sites[Website(n)!].Lon), (n.GetProperty("lat").GetDouble(), n.GetProperty("lon").GetDouble())));
        Assert.All(ways, w =>
        {
            Assert.True(w.GetProperty("nodes").GetArrayLength() >= 4);
            Assert.True(w.GetProperty("center").TryGetProperty("lat", out _));
        });
    }

    [Fact]
    public async Task Overpass_narrows_to_a_named_area_a_bounding_box_or_a_radius()
    {
        var leeds = await OverpassAsync("""[out:json];area["name"="Leeds"]->.a;nwr["shop"="tattoo"](area.a);out center;""", get: true);
        Assert.Equal(SiteUrls(s => s.City == "Leeds"), Websites(leeds));

        var manchester = Manifest.Sites.Where(s => s.City == "Manchester").ToList();
        var box = string.Create(CultureInfo.InvariantCulture, $"{manchester.Min(s => s.Lat) - 0.001},{manchester.Min(s => s.Lon) - 0.001},{manchester.Max(s => s.Lat) + 0.001},{manchester.Max(s => s.Lon) + 0.001}");
        var boxed = await OverpassAsync($"[out:json][bbox:{box}];nwr[shop=tattoo];out center;");
        Assert.Equal(SiteUrls(s => s.City == "Manchester"), Websites(boxed));

        var glasgow = Manifest.Sites.First(s => s.City == "Glasgow");
        var around = await OverpassAsync(string.Create(CultureInfo.InvariantCulture, $"[out:json];node[\"shop\"=\"tattoo\"](around:15000,{glasgow.Lat},{glasgow.Lon});out;"));
        Assert.Contains(glasgow.BaseUrl, Websites(around));
        Assert.All(Websites(around), url => Assert.Equal("Glasgow", Manifest.Sites.Single(s => s.BaseUrl == url).City));
    }

    [Fact]
    public async Task Overpass_gives_ways_a_center_only_when_asked_and_finds_no_other_shops()
    {
        var plain = await OverpassAsync("""[out:json];way["shop"="tattoo"];out;""");
        var way = plain.GetProperty("elements").EnumerateArray().First(e => e.GetProperty("type").GetString() == "way");
        Assert.False(way.TryGetProperty("center", out _));

        var pubs = await OverpassAsync("""[out:json];node["amenity"="pub"];out;""");
        Assert.Equal(0, pubs.GetProperty("elements").GetArrayLength());

        using var xml = await PostOverpassAsync("""node["shop"="tattoo"];out;""");
        Assert.Equal(HttpStatusCode.BadRequest, xml.StatusCode);
        using var empty = await PostOverpassAsync("");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Places_text_search_pages_through_each_city_in_the_documented_shape()
    {
        var found = new List<string>();
        foreach (var city in Manifest.Sites.Select(s => s.City).Distinct())
        {
            var places = await AllPlacesAsync($"tattoo studios in {city}", pageSize: 2);
            Assert.All(places, p =>
            {
                Assert.StartsWith("ChIJ", p.GetProperty("id").GetString(), StringComparison.Ordinal);
                Assert.Equal("en", p.GetProperty("displayName").GetProperty("languageCode").GetString());
                Assert.Contains(city, p.GetProperty("formattedAddress").GetString(), StringComparison.Ordinal);
                Assert.InRange(p.GetProperty("location").GetProperty("latitude").GetDouble(), 51, 56.5);
                Assert.InRange(p.GetProperty("location").GetProperty("longitude").GetDouble(), -4.5, 0.5);
            });
            var websites = places.Where(p => p.TryGetProperty("websiteUri", out _)).Select(p => p.GetProperty("websiteUri").GetString()!).ToList();
            Assert.Equal(SiteUrls(s => s.City == city), websites.Order());
            var names = places.Select(p => p.GetProperty("displayName").GetProperty("text").GetString()).ToHashSet();
            Assert.All(Manifest.Sites.Where(s => s.City == city), s => Assert.Contains(s.Name, names));
            found.AddRange(websites);
        }
        Assert.Equal(SiteUrls(), found.Order());
    }

    [Fact]
    public async Task Places_returns_only_the_fields_in_the_mask()
    {
        using var response = await PlacesAsync("""{"textQuery":"tattoo shop Leeds","pageSize":1}""", mask: "places.displayName");
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(["places"], root.EnumerateObject().Select(p => p.Name));
        var place = Assert.Single(root.GetProperty("places").EnumerateArray());
        Assert.Equal(["displayName"], place.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Places_wants_an_api_key_a_field_mask_and_a_text_query_like_the_real_service()
    {
        using var noKey = await PlacesAsync("""{"textQuery":"tattoo Leeds"}""", key: null);
        Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        Assert.Equal("PERMISSION_DENIED", await ErrorStatusAsync(noKey));

        using var noMask = await PlacesAsync("""{"textQuery":"tattoo Leeds"}""", mask: null);
        Assert.Equal(HttpStatusCode.BadRequest, noMask.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", await ErrorStatusAsync(noMask));

        using var noQuery = await PlacesAsync("""{"pageSize":5}""");
        Assert.Equal("INVALID_ARGUMENT", await ErrorStatusAsync(noQuery));

        using var badToken = await PlacesAsync("""{"textQuery":"tattoo Leeds","pageToken":"not-a-token"}""");
        Assert.Equal("INVALID_ARGUMENT", await ErrorStatusAsync(badToken));

        using var pizza = await PlacesAsync("""{"textQuery":"pizza in Leeds"}""");
        Assert.Equal(HttpStatusCode.OK, pizza.StatusCode);
        Assert.Empty(JsonDocument.Parse(await pizza.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateObject());
    }

    [Fact]
    public async Task The_static_list_names_every_site_with_its_address_and_location()
    {
        var root = JsonDocument.Parse(await web.Client.GetStringAsync(Manifest.Endpoints.StaticList, Ct)).RootElement;
        var studios = root.GetProperty("studios").EnumerateArray().ToList();
        Assert.Equal(SiteUrls(), studios.Select(s => s.GetProperty("website").GetString()).Order());
        Assert.All(studios, s =>
        {
            var site = Manifest.Sites.Single(m => m.BaseUrl == s.GetProperty("website").GetString());
            Assert.Equal((site.Name, site.City, site.Postcode), (s.GetProperty("name").GetString(), s.GetProperty("city").GetString(), s.GetProperty("postcode").GetString()));
            Assert.Equal((site.Lat, site.Lon), (s.GetProperty("lat").GetDouble(), s.GetProperty("lon").GetDouble()));
        });
    }

    [Fact]
    public void The_settings_point_discovery_at_the_control_port_and_allow_every_demo_port()
    {
        var settings = web.Server.AppSettings.ToDictionary();
        Assert.Equal(Manifest.Endpoints.Overpass, settings["Aggregation:Sources:Overpass:Url"]);
        Assert.Equal(Manifest.Endpoints.Places, settings["Aggregation:Sources:GooglePlaces:Url"]);
        Assert.Equal(Manifest.Endpoints.StaticList, settings["Aggregation:Sources:StaticList:Url"]);
        Assert.False(string.IsNullOrEmpty(settings["Aggregation:Sources:GooglePlaces:ApiKey"]));
        var allowed = settings["Aggregation:Fetch:AllowedHosts"].Split(',');
        Assert.All(web.Server.ListeningEndpoints, e => Assert.Contains(allowed, entry => Allows(entry, e)));
    }

    private static bool Allows(string entry, IPEndPoint endpoint)
    {
        var (host, ports) = (entry[..entry.LastIndexOf(':')], entry[(entry.LastIndexOf(':') + 1)..].Split('-').Select(int.Parse).ToArray());
        return host == endpoint.Address.ToString() && endpoint.Port >= ports[0] && endpoint.Port <= ports[^1];
    }

    private static string? Website(JsonElement element) =>
        element.GetProperty("tags").TryGetProperty("website", out var website) ? website.GetString() : null;

    private static IEnumerable<string> Websites(JsonElement root) => root.GetProperty("elements").EnumerateArray().Select(Website).OfType<string>().Order();

    private async Task<JsonElement> OverpassAsync(string query, bool get = false)
    {
        using var response = get
            ? await web.Client.GetAsync($"{Manifest.Endpoints.Overpass}?data={Uri.EscapeDataString(query)}", Ct)
            : await PostOverpassAsync(query);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostOverpassAsync(string query) =>
        web.Client.PostAsync(Manifest.Endpoints.Overpass, new FormUrlEncodedContent([new("data", query)]), Ct);

    private async Task<List<JsonElement>> AllPlacesAsync(string textQuery, int pageSize)
    {
        var places = new List<JsonElement>();
        string? token = null;
        do
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["textQuery"] = textQuery, ["pageSize"] = pageSize, ["pageToken"] = token });
            using var response = await PlacesAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
            var page = root.GetProperty("places").EnumerateArray().ToList();
            Assert.InRange(page.Count, 1, pageSize);
            places.AddRange(page);
            token = root.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        return places;
    }

    private Task<HttpResponseMessage> PlacesAsync(string body, string? key = "any-key", string? mask = PlacesMask)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Manifest.Endpoints.Places) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Goog-Api-Key", key);
        if (mask is not null) request.Headers.Add("X-Goog-FieldMask", mask);
        return web.Client.SendAsync(request, Ct);
    }

    private static async Task<string?> ErrorStatusAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("status").GetString();
}
