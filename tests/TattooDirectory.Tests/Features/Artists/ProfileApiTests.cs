using System.Net;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Artists;

public sealed class ProfileApiTests(SeededDirectory directory)
{
    private DirectoryHost Host => directory.Host;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> AnyArtistIdAsync() =>
        (await Host.GetJsonAsync("/v1/artists?limit=1&styles=realism")).GetProperty("items")[0].GetProperty("artistId").GetString()!;

    [Fact]
    public async Task A_profile_has_studio_styles_and_portfolio_with_served_images()
    {
        var id = await AnyArtistIdAsync();
        var profile = await Host.GetJsonAsync($"/v1/artists/{id}");

        Assert.Equal(id, profile.GetProperty("artistId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(profile.GetProperty("bio").GetString()));
        Assert.StartsWith("studio-", profile.GetProperty("studio").GetProperty("studioId").GetString());
        Assert.Contains(profile.GetProperty("styles").EnumerateArray(), s => s.GetProperty("id").GetString() == "realism" && s.GetProperty("name").GetString() == "Realism");
        var images = profile.GetProperty("portfolioImages").EnumerateArray().ToList();
        Assert.InRange(images.Count, 5, 12);
        Assert.All(images, i => Assert.True(i.GetProperty("width").GetInt32() > 0 && i.GetProperty("height").GetInt32() > 0));

        using var image = await Host.Client.GetAsync(images[0].GetProperty("thumbnailUrl").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/svg+xml", image.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", image.Headers.CacheControl!.ToString());
        Assert.NotNull(image.Headers.ETag);
        using var avatar = await Host.Client.GetAsync(profile.GetProperty("avatarUrl").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, avatar.StatusCode);
    }

    [Theory]
    [InlineData("artist-NOPE", HttpStatusCode.BadRequest)]
    [InlineData("artist-", HttpStatusCode.BadRequest)]
    [InlineData("studio-abcd", HttpStatusCode.BadRequest)]
    [InlineData("artist-zzzzzzzzzz", HttpStatusCode.NotFound)]
    public async Task A_bad_or_unknown_id_is_a_problem(string id, HttpStatusCode expected)
    {
        using var response = await Host.Client.GetAsync($"/v1/artists/{id}", Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        if (expected == HttpStatusCode.BadRequest) Assert.True(problem.GetProperty("errors").TryGetProperty("artistId", out _));
    }

    [Fact]
    public async Task Unknown_routes_and_image_keys_answer_problem_json_404()
    {
        using var route = await Host.Client.GetAsync("/v1/nothing-here", Ct);
        Assert.Equal(HttpStatusCode.NotFound, route.StatusCode);
        Assert.Equal("application/problem+json", route.Content.Headers.ContentType?.MediaType);
        using var image = await Host.Client.GetAsync("/images/artists/../../store.db", Ct);
        Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
    }

    [Fact]
    public async Task A_blob_not_stored_as_public_is_served_only_through_a_signed_url()
    {
        var blobs = Host.Service<TattooDirectory.Backends.Local.Files.FileBlobStore>();
        await blobs.PutAsync("exports/report.json", new MemoryStream("{}"u8.ToArray()), "application/json", "private, no-store", Ct);

        using var unsigned = await Host.Client.GetAsync("/images/exports/report.json", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unsigned.StatusCode);
        using var signed = await Host.Client.GetAsync(blobs.GetSignedUrl("exports/report.json", TimeSpan.FromMinutes(5)), Ct);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        using var tampered = await Host.Client.GetAsync(blobs.GetSignedUrl("exports/report.json", TimeSpan.FromMinutes(5)).ToString().Replace("signature=", "signature=00", StringComparison.Ordinal), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task Studios_are_listed_by_city_and_a_studio_shows_its_artists()
    {
        var leeds = await Host.GetJsonAsync("/v1/studios?city=Leeds&limit=100");
        var studios = leeds.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(studios);
        Assert.All(studios, s => Assert.Equal("Leeds", s.GetProperty("city").GetString()));
        Assert.Equal(studios.Count, leeds.GetProperty("total").GetInt32());
        var all = await Host.GetJsonAsync("/v1/studios?limit=5");
        Assert.True(all.GetProperty("total").GetInt32() >= 60);
        Assert.True(all.GetProperty("hasMore").GetBoolean());

        var id = studios[0].GetProperty("studioId").GetString();
        var studio = await Host.GetJsonAsync($"/v1/studios/{id}");
        var artists = studio.GetProperty("artists").EnumerateArray().ToList();
        Assert.NotEmpty(artists);
        Assert.All(artists, a => Assert.Equal(id, a.GetProperty("studio").GetProperty("studioId").GetString()));
    }

    [Fact]
    public async Task Health_reports_each_component_and_alive_answers()
    {
        var health = await Host.GetJsonAsync("/health");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        foreach (var component in new[] { "store", "index", "sync" })
        {
            Assert.Equal("Healthy", health.GetProperty("components").GetProperty(component).GetProperty("status").GetString());
        }
        using var alive = await Host.Client.GetAsync("/alive", Ct);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_the_docs_page_is_browsable()
    {
        var doc = await Host.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/artists", out _) || paths.TryGetProperty("/v1/artists/", out _));
        Assert.True(paths.TryGetProperty("/v1/artists/{artistId}", out _));
        using var ui = await Host.Client.GetAsync("/docs", Ct);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
    }
}
