using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Browser;

/// <summary>
/// Every public page of product.md §3 by a readable name (the test case name), resolved against
/// the seeded data: a real profile, studio and style rather than hard-coded ids.
/// </summary>
public sealed class PublicPages(IReadOnlyDictionary<string, string> paths)
{
    public const string NotFound = "a 404";

    /// <summary>The names in a stable order, for theory data.</summary>
    public static readonly string[] Names =
    [
        "/", "/artists", "/artists map view", "a profile", "/studios", "a studio", "/styles", "a style",
        "/privacy", "/terms", "/faq", "/removal", "/removal for a profile", "a removal confirmation", "/status", NotFound,
    ];

    public string PathOf(string name) => paths[name];

    public static int StatusOf(string name) => name == NotFound ? 404 : 200;

    public static async Task<PublicPages> DiscoverAsync(DirectoryHost host)
    {
        var profile = await FirstArtistWithGalleryAsync(host, "/v1/artists?location=Leeds&limit=50");
        var studios = await host.GetJsonAsync("/v1/studios?limit=1");
        var studioId = studios.GetProperty("items")[0].GetProperty("studioId").GetString();
        return new PublicPages(new Dictionary<string, string>
        {
            ["/"] = "/",
            ["/artists"] = "/artists",
            ["/artists map view"] = "/artists?view=map",
            ["a profile"] = $"/artists/{profile}",
            ["/studios"] = "/studios",
            ["a studio"] = $"/studios/{studioId}",
            ["/styles"] = "/styles",
            ["a style"] = "/styles/blackwork",
            ["/privacy"] = "/privacy",
            ["/terms"] = "/terms",
            ["/faq"] = "/faq",
            ["/removal"] = "/removal",
            ["/removal for a profile"] = $"/removal?artistId={profile}",
            ["a removal confirmation"] = "/removal/received/rem-0123456789abcdefghij",
            ["/status"] = "/status",
            [NotFound] = "/no-such-page",
        });
    }

    /// <summary>The first artist of a search whose profile has portfolio images and an Instagram handle (the richest page).</summary>
    public static async Task<string> FirstArtistWithGalleryAsync(DirectoryHost host, string searchUrl) =>
        await FirstArtistWithGalleryAsync(host, (await host.GetJsonAsync(searchUrl)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()!));

    public static async Task<string> FirstArtistWithGalleryAsync(DirectoryHost host, IEnumerable<string> artistIds)
    {
        foreach (var id in artistIds)
        {
            var profile = await host.GetJsonAsync($"/v1/artists/{id}");
            if (profile.GetProperty("portfolioImages").GetArrayLength() > 0 && profile.GetProperty("instagramHandle").ValueKind == JsonValueKind.String) return id;
        }
        Assert.Fail("No artist among the results has both portfolio images and an Instagram handle; the seed data changed.");
        return "";
    }
}
