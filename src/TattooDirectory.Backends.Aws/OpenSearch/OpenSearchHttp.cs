using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>Calls to one OpenSearch domain: paths relative to the configured endpoint, JSON in and out, errors as <see cref="OpenSearchException"/>.</summary>
internal sealed class OpenSearchHttp(SignedHttpClient http, OpenSearchOptions options)
{
    /// <summary>The signing name: Amazon OpenSearch Service still signs as Elasticsearch did.</summary>
    public const string Service = "es";

    public const string JsonType = "application/json";

    public async Task<SignedResponse> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken) =>
        await http.SendAsync(new SignedRequest(method, Url(path), Service) { Body = body, ContentType = contentType }, cancellationToken);

    public Task<SignedResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        body is null
            ? SendAsync(method, path, default, null, cancellationToken)
            : SendAsync(method, path, Encoding.UTF8.GetBytes(body.ToJsonString()), JsonType, cancellationToken);

    /// <summary>Sends and parses a successful JSON answer; any other answer is the <paramref name="operation"/>'s failure.</summary>
    public async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, JsonNode? body, string operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, path, body, cancellationToken);
        return response.IsSuccess ? JsonDocument.Parse(response.Body) : throw Failure(operation, response);
    }

    public static OpenSearchException Failure(string operation, SignedResponse response) => new(operation, response.StatusCode, ErrorType(response.Body));

    /// <summary>The <c>error.type</c> of an error body (<c>{"error":{"type":…},"status":…}</c>), or null when it has none.</summary>
    public static string? ErrorType(ReadOnlySpan<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("type", out var type)
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            // A proxy's HTML page or an empty body: no OpenSearch error type to report.
            return null;
        }
    }

    private Uri Url(string path)
    {
        if (string.IsNullOrEmpty(options.Endpoint))
        {
            throw new InvalidOperationException("Aws:OpenSearch:Endpoint is not set, so the search index cannot be reached.");
        }

        // The endpoint may carry a path (LocalStack custom endpoints), so paths are appended, not resolved.
        return new Uri($"{options.Endpoint.TrimEnd('/')}/{path}");
    }
}
