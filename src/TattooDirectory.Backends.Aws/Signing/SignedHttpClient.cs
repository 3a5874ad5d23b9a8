using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Backends.Aws.Signing;

/// <summary>One call to an AWS HTTP API; <see cref="Service"/> is the signing name ("es", "sns", "states", ...).</summary>
public sealed record SignedRequest(HttpMethod Method, Uri Url, string Service)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public ReadOnlyMemory<byte> Body { get; init; }
    public string? ContentType { get; init; }
}

public sealed record SignedResponse(HttpStatusCode StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}

/// <summary>How the signed client retries throttled calls (<c>Aws:SignedClient</c>).</summary>
public sealed class SignedClientOptions
{
    public int MaxAttempts { get; set; } = 4;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The one client for AWS services without an SDK package here (OpenSearch, SNS, Step Functions,
/// DynamoDB Streams, ...): signs each attempt with SigV4 and retries throttling and transient
/// server errors with full-jitter exponential backoff on the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class SignedHttpClient(HttpClient http, AwsCredentialSource credentials, IOptions<AwsOptions> options, TimeProvider time, ILogger<SignedHttpClient> logger)
{
    // Error codes AWS services use for throttling in a 400 response body.
    private static readonly string[] ThrottlingCodes =
        ["Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException", "SlowDown"];

    public async Task<SignedResponse> SendAsync(SignedRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var retry = options.Value.SignedClient;
        for (var attempt = 1; ; attempt++)
        {
            var response = await SendOnceAsync(request, cancellationToken);
            if (attempt >= retry.MaxAttempts || !IsRetryable(response))
            {
                return response;
            }

            var delay = RetryDelay(attempt, retry, Random.Shared.NextDouble());
            LogRetry(logger, request.Service, (int)response.StatusCode, attempt, delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>Full jitter: a uniform delay up to the exponential cap for this attempt.</summary>
    internal static TimeSpan RetryDelay(int attempt, SignedClientOptions retry, double random)
    {
        var cap = Math.Min(retry.MaxDelay.TotalMilliseconds, retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(cap * random);
    }

    internal static bool IsRetryable(SignedResponse response) => response.StatusCode switch
    {
        HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
        HttpStatusCode.BadRequest => ThrottlingCodes.Any(code => ContainsCode(response.Body, code)),
        _ => false,
    };

    private async Task<SignedResponse> SendOnceAsync(SignedRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Url);
        var signed = new List<KeyValuePair<string, string>>(request.Headers);
        if (!request.Body.IsEmpty || request.ContentType is not null)
        {
            message.Content = new ReadOnlyMemoryContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                signed.Add(new("Content-Type", request.ContentType));
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        // Signed per attempt, so a retry after a long backoff still carries a fresh date.
        var signature = SigV4.Sign(new SignableRequest(request.Method, request.Url, signed, request.Body), await credentials.GetAsync(), options.Value.Region, request.Service, time.GetUtcNow());
        foreach (var (name, value) in signature.HeadersToAdd)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
        return new SignedResponse(response.StatusCode, headers, body);
    }

    // JSON protocols put the code in "__type" (sometimes "prefix#Code"), XML ones in <Code>; a
    // quoted or tagged match avoids reading "Throttling" inside an unrelated message.
    private static bool ContainsCode(byte[] body, string code)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Contains($"\"{code}\"", StringComparison.Ordinal) || text.Contains($"#{code}\"", StringComparison.Ordinal)
            || text.Contains($"<Code>{code}</Code>", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS {Service} answered {Status} on attempt {Attempt}; retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string service, int status, int attempt, double delayMs);
}
