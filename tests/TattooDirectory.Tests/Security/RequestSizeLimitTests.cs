using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Security;

/// <summary>
/// R7: every route that takes a body (found in the endpoint data source) refuses one a byte over
/// its limit (the route's own, else the server's) with 413, sent with or without a length, and
/// by the operator where the route is an admin one, so the limit and not the credential check
/// is what answers: problem+json from the API, the site's error page from a page.
/// </summary>
public sealed class RequestSizeLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_route_that_takes_a_body_answers_413_to_one_over_its_limit()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });
        using var client = new OperatorClient(host);
        using (var signIn = await client.SignInAsync()) Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var serverLimit = host.Service<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize!.Value;

        var routes = AppRoutes.Of(host).Where(r => r.Method == HttpMethod.Post || r.Method == HttpMethod.Put || r.Method == HttpMethod.Patch).ToList();
        Assert.Superset(new HashSet<string> { "POST /v1/removal-requests", "POST /removal/requests", "POST /admin/sign-in", "POST /v1/admin/reindex", "POST /admin/sign-out" }, routes.Select(r => r.Key).ToHashSet());

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var limit = route.Metadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? serverLimit;
            foreach (var chunked in new[] { false, true })
            {
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(route.Method, route.Path, Body(route.IsApi ? "application/json" : "application/x-www-form-urlencoded", (int)limit + 1, chunked), route.IsAdminApi ? "Bearer " + OperatorClient.Token : null);
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{route.Key} ({route.Path}, {limit + 1:N0} bytes{(chunked ? ", chunked" : "")}): no answer ({ex.InnerException?.Message ?? ex.Message})");
                    continue;
                }
                using var _ = response;
                var type = response.Content.Headers.ContentType?.MediaType;
                var expectedType = route.IsApi ? "application/problem+json" : "text/html";
                var problemStatus = route.IsApi && type == expectedType ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetInt32() : 413;
                if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge || type != expectedType || problemStatus != 413)
                {
                    failures.Add($"{route.Key} ({route.Path}, {limit + 1:N0} bytes{(chunked ? ", chunked" : "")}): {(int)response.StatusCode} {type}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// A body of exactly <paramref name="length"/> bytes in the media type the route takes (a form
    /// to a JSON route would be refused for its type first); chunked means no Content-Length, so
    /// only reading it finds the size.
    /// </summary>
    private static HttpContent Body(string mediaType, int length, bool chunked)
    {
        var (head, tail) = mediaType == "application/json" ? ("{\"note\":\"", "\"}") : ("note=", "");
        var bytes = Encoding.ASCII.GetBytes(head + new string('a', length - head.Length - tail.Length) + tail);
        HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
