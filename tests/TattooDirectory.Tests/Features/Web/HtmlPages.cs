using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>A page as a browser would receive it: status, headers and the parsed document.</summary>
public sealed record HtmlPage(string Url, HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, IDocument Document)
{
    public IElement One(string selector) =>
        Document.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"{Url} has no element matching '{selector}'.");

    public IReadOnlyList<IElement> All(string selector) => [.. Document.QuerySelectorAll(selector)];

    public IReadOnlyList<string> CardIds => [.. All("ol.results li.artist-card").Select(c => c.GetAttribute("data-artist-id")!)];
}

internal static class HtmlPages
{
    /// <summary>What Chromium sends when it navigates to a page.</summary>
    public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private static readonly HtmlParser Parser = new();

    public static async Task<HtmlPage> GetPageAsync(this DirectoryHost host, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);
        using var response = await host.Client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"GET {url} → {(int)response.StatusCode}, expected {(int)expected}: {body[..Math.Min(body.Length, 2000)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new HtmlPage(url, response.StatusCode, headers, await Parser.ParseDocumentAsync(body, ct));
    }

    /// <summary>The artist ids of one API search, to compare the page with the API it mirrors.</summary>
    public static async Task<IReadOnlyList<string>> ApiIdsAsync(this DirectoryHost host, string query) =>
        [.. (await host.GetJsonAsync($"/v1/artists?{query}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()!)];

    public static string Text(this IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static JsonElement Pins(this IElement map) => JsonDocument.Parse(map.GetAttribute("data-pins")!).RootElement.Clone();
}
