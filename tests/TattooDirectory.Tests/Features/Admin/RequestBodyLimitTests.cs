using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TattooDirectory.Tests.Features.Web;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>A body over the limit is a 413 wherever it is sent, however it is sent, and whatever would have read it.</summary>
public sealed class RequestBodyLimitTests
{
    private const int KestrelLimit = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool> Bodies => new()
    {
        { "application/json", false },
        { "application/json", true },
        { "application/x-www-form-urlencoded", false },
        { "application/x-www-form-urlencoded", true },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task An_oversized_body_to_the_api_answers_413_problem_json(string mediaType, bool chunked)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/reindex") { Content = Body(mediaType, KestrelLimit + 1, chunked) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorClient.Token);

        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_form_to_a_page_answers_413_with_the_error_page(bool chunked)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);

        // The sign-in page takes 4 KiB: a real sign-in is a fraction of that.
        using var response = await client.SendAsync(HttpMethod.Post, "/admin/sign-in", Body("application/x-www-form-urlencoded", 5 * 1024, chunked));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>This request could not be answered</h1>", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_with_a_smaller_limit_refuses_a_body_the_server_limit_would_let_through()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);
        using (await client.SignInAsync()) { }

        // Sign-out is mapped WithBodyLimit(1024).
        using var response = await client.SendAsync(HttpMethod.Post, "/admin/sign-out", Body("application/x-www-form-urlencoded", 2 * 1024, chunked: false));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotNull(client.AdminCookie);
    }

    [Fact]
    public async Task A_body_within_the_limit_goes_through()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);

        using var response = await client.SignInAsync();

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    private static HttpContent Body(string mediaType, int length, bool chunked)
    {
        var text = mediaType == "application/json" ? $"{{\"note\":\"{new string('a', length - 11)}\"}}" : "note=" + new string('a', length - 5);
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(length, bytes.Length);
        // A stream of unknown length goes out chunked, with no Content-Length to check up front.
        HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
