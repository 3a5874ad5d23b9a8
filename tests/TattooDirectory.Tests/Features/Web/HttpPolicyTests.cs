using System.IO.Compression;
using System.Net;
using System.Text;
using TattooDirectory.Tests.Security;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Web;

/// <summary>What every response carries, pages and API alike: security headers, compression, asset caching, error formats.</summary>
public sealed class HttpPolicyTests(SeededDirectory directory)
{
    internal const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private DirectoryHost Host => directory.Host;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/artists?styles=blackwork")]
    [InlineData("/no-such-page")]
    [InlineData("/v1/artists?limit=1")]
    [InlineData("/v1/artists/artist-zzzzzzzzzz")]
    [InlineData("/v1/nothing-here")]
    [InlineData("/health")]
    [InlineData("/images/artists/missing.svg")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var response = await Host.Client.GetAsync(url, Ct);
        AssertSecurityHeaders(response, Policy);
    }

    [Fact]
    public async Task Static_files_and_images_carry_the_security_headers_too()
    {
        var page = await Host.GetPageAsync("/artists?styles=blackwork");
        foreach (var url in new[] { page.One("link[rel=stylesheet]").GetAttribute("href")!, page.One(".thumbs img").GetAttribute("src")! })
        {
            using var response = await Host.Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertSecurityHeaders(response, Policy);
        }
    }

    [Fact]
    public async Task The_api_reference_keeps_every_header_and_only_allows_its_own_inline_boot_code()
    {
        using var response = await Host.Client.GetAsync("/docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response, SecurityHeaderCheck.ApiReferencePolicy);
    }

    [Theory]
    [InlineData("/v1/nothing-here")]
    [InlineData("/v1/artists/artist-zzzzzzzzzz")]
    [InlineData("/v1/studios/studio-zzzzzzzzzz")]
    public async Task Api_errors_stay_problem_json_when_a_browser_asks(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", HtmlPages.BrowserAccept);
        using var response = await Host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/artists?styles=blackwork", HttpStatusCode.OK)]
    [InlineData("/artists/artist-zzzzzzzzzz", HttpStatusCode.NotFound)]
    public async Task Pages_answer_head_requests_like_get(string url, HttpStatusCode expected)
    {
        using var response = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/", "br")]
    [InlineData("/", "gzip")]
    [InlineData("/artists?location=Leeds", "br")]
    [InlineData("/v1/artists?limit=5", "br")]
    [InlineData("/v1/artists?limit=5", "gzip")]
    public async Task Pages_and_json_are_compressed_for_clients_that_accept_it(string url, string encoding)
    {
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = Host.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var response = await raw.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        var compressed = await response.Content.ReadAsByteArrayAsync(Ct);
        var text = Decompress(compressed, encoding);
        Assert.True(compressed.Length * 2 < Encoding.UTF8.GetByteCount(text), $"{url} compressed {compressed.Length} bytes from {text.Length}");
        Assert.True(text.StartsWith("<!DOCTYPE html>", StringComparison.Ordinal) || text.StartsWith('{'), text[..Math.Min(80, text.Length)]);
    }

    [Fact]
    public async Task The_stylesheet_is_fingerprinted_small_precompressed_and_cached_for_good()
    {
        var href = (await Host.GetPageAsync("/")).One("link[rel=stylesheet]").GetAttribute("href")!;
        using var plain = await Host.Client.GetAsync(href, Ct);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/css", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", plain.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(365), plain.Headers.CacheControl.MaxAge);
        var css = await plain.Content.ReadAsStringAsync(Ct);
        Assert.InRange(Encoding.UTF8.GetByteCount(css), 1_000, 20 * 1024);

        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = Host.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        using var gzipped = await raw.SendAsync(request, Ct);
        var body = await gzipped.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.Equal(css, Decompress(body, "gzip"));
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response, string policy) =>
        Assert.Empty(SecurityHeaderCheck.Differences(response, policy));

    private static string Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
