using System.Net;
using System.Text;
using Amazon.Runtime;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>
/// An HTTP handler that records each request (with its body) and answers from a queue of canned
/// responses: the shape tests see exactly what an adapter sends and what it makes of AWS's replies.
/// </summary>
internal sealed class CannedHttp : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Body, (string Name, string Value)[] Headers)> _responses = new();

    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

    /// <param name="headers">Response headers a service sends besides the body (SQS's x-amzn-query-error).</param>
    public CannedHttp Respond(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        _responses.Enqueue((status, body, headers));
        return this;
    }

    /// <summary>The SDK's hook for its HttpClient, so an SDK client talks to this handler.</summary>
    public HttpClientFactory SdkFactory() => new Factory(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        var (status, text, headers) = _responses.Count > 0 ? _responses.Dequeue() : throw new InvalidOperationException($"No canned response left for request {Requests.Count}.");
        var response = new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/x-amz-json-1.0"), RequestMessage = request };
        response.Headers.Add("x-amzn-RequestId", $"req-{Requests.Count}");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private sealed class Factory(CannedHttp handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    }
}
