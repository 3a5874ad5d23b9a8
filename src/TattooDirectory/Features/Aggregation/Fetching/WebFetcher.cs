using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>
/// The scrapers' only way onto the web. Every hop of a fetch is checked (scheme and port, robots.txt,
/// the address at connect time), waits for its turn at the host, and is read with a timeout and a
/// size cap on the decompressed bytes. Redirects are followed here, at most
/// <see cref="FetchOptions.MaxRedirects"/>, so each target gets the same checks as the first URL.
/// </summary>
public sealed partial class WebFetcher : IDisposable, IAsyncDisposable
{
    public const string ProductToken = RobotsCache.ProductToken;
    public const string Version = "1.0";

    private readonly FetchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebFetcher> _logger;
    private readonly AddressGuard _guard;
    private readonly HttpMessageInvoker _http;

    public WebFetcher(IOptions<FetchOptions> options, FetchNetwork network, TimeProvider time, ILogger<WebFetcher> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _guard = new AddressGuard(_options, network, logger);
        Politeness = new HostPoliteness(_options);
        Robots = new RobotsCache(_options, time, (url, ct) => GetAsync(url, FetchKind.Robots, ct));
        UserAgent = $"{ProductToken}/{Version} (+{_options.ContactUrl})";
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = _options.ConnectTimeout,
            ConnectCallback = _guard.ConnectAsync,
            MaxConnectionsPerServer = _options.PerHostConcurrency,
            // Connections are re-resolved (and re-checked) at least this often.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 64,
            MaxResponseDrainSize = 64 * 1024,
            ResponseDrainTimeout = TimeSpan.FromSeconds(2),
        }, disposeHandler: true);
    }

    /// <summary><c>TattooDirectoryBot/1.0 (+contact URL)</c>, sent with every request.</summary>
    public string UserAgent { get; }

    internal HostPoliteness Politeness { get; }

    internal RobotsCache Robots { get; }

    /// <summary>Fetches <paramref name="url"/>; failures are results. Throws only when <paramref name="ct"/> is cancelled.</summary>
    public async Task<FetchResult> GetAsync(Uri url, FetchKind kind, CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity("fetch");
        activity?.SetTag("fetch.kind", kind.ToString());
        var result = await FollowAsync(url, kind, ct);
        activity?.SetTag("fetch.outcome", result.Reason);
        LogFetched(_logger, kind, result.Reason, result.Status, result.Redirects, result.Body.Length);
        return result;
    }

    /// <summary>
    /// Posts a JSON body to a documented API (Google Places Text Search (New) is a POST), with the
    /// same address guard, politeness, timeout and size cap as a <see cref="FetchKind.Json"/> GET.
    /// A redirect is not followed: re-sending a POST, with its key header, elsewhere is refused.
    /// Failures are results; throws only when <paramref name="ct"/> is cancelled.
    /// </summary>
    /// <param name="headers">Extra request headers such as an API key; never logged.</param>
    public async Task<FetchResult> PostJsonAsync(Uri url, string json, IReadOnlyDictionary<string, string> headers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(headers);
        using var activity = Telemetry.Source.StartActivity("fetch");
        activity?.SetTag("fetch.kind", "JsonPost");
        FetchResult result;
        if (_guard.WhyRefused(url) is { } why)
        {
            result = FetchResult.Failed(url, url, 0, FetchFailure.ForbiddenAddress, retryable: false, why);
        }
        else
        {
            var hop = await ExchangeAsync(new HopContext(url, url, 0, FetchKind.Json), null, ct, new JsonPost(json, headers));
            result = hop.Result ?? FetchResult.Failed(url, url, 0, FetchFailure.HttpStatus, retryable: false, "redirect in answer to a POST") with { Status = hop.Status };
        }

        activity?.SetTag("fetch.outcome", result.Reason);
        LogFetched(_logger, FetchKind.Json, result.Reason, result.Status, result.Redirects, result.Body.Length);
        return result;
    }

    private async Task<FetchResult> FollowAsync(Uri url, FetchKind kind, CancellationToken ct)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            if (_guard.WhyRefused(current) is { } why)
            {
                return FetchResult.Failed(url, current, redirects, FetchFailure.ForbiddenAddress, retryable: false, why);
            }

            TimeSpan? crawlDelay = null;
            if (FetchKinds.ObeysRobots(kind))
            {
                var verdict = await Robots.CheckAsync(current, ct);
                if (verdict.Blocking is { Failure: { } failure } blocking)
                {
                    return FetchResult.Failed(url, current, redirects, failure, blocking.Retryable, $"robots.txt: {blocking.Detail ?? blocking.Reason}");
                }

                if (!verdict.Allowed)
                {
                    return FetchResult.Failed(url, current, redirects, FetchFailure.DisallowedByRobots, verdict.Unreachable, verdict.Unreachable ? "robots.txt unreachable" : null);
                }

                crawlDelay = verdict.CrawlDelay;
            }

            var hop = await ExchangeAsync(new HopContext(url, current, redirects, kind), crawlDelay, ct);
            if (hop.Result is { } result)
            {
                return result;
            }

            if (redirects == _options.MaxRedirects)
            {
                return FetchResult.Failed(url, current, redirects, FetchFailure.TooManyRedirects, retryable: false) with { Status = hop.Status };
            }

            current = hop.Next!;
        }
    }

    /// <summary>One request, holding its politeness slot until the body is read.</summary>
    private async Task<HopOutcome> ExchangeAsync(HopContext hop, TimeSpan? crawlDelay, CancellationToken ct, JsonPost? post = null)
    {
        using var lease = await Politeness.AcquireAsync(hop.Current, crawlDelay, ct);
        using var timeout = new CancellationTokenSource(_options.TotalTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(post is null ? HttpMethod.Get : HttpMethod.Post, hop.Current);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", FetchKinds.Accept(hop.Kind));
            if (post is not null)
            {
                request.Content = new StringContent(post.Json, System.Text.Encoding.UTF8, "application/json");
                foreach (var (name, value) in post.Headers) request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, linked.Token);
            return await ReadAsync(hop, response, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return hop.Fail(FetchFailure.Timeout, retryable: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or InvalidDataException)
        {
            return Unwrap<ForbiddenAddressException>(ex) is { } forbidden ? hop.Fail(FetchFailure.ForbiddenAddress, retryable: false, forbidden.Message)
                : Unwrap<TimeoutException>(ex) is not null ? hop.Fail(FetchFailure.Timeout, retryable: true)
                : hop.Fail(FetchFailure.Network, retryable: true, NetworkDetail(ex));
        }
    }

    private async Task<HopOutcome> ReadAsync(HopContext hop, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (status is 301 or 302 or 303 or 307 or 308)
        {
            return response.Headers.Location is { } location && Uri.TryCreate(hop.Current, location, out var next) && next.IsAbsoluteUri
                ? new HopOutcome(null, new UriBuilder(next) { Fragment = string.Empty }.Uri, status)
                : hop.Fail(FetchFailure.HttpStatus, retryable: false, "redirect without a usable Location", status);
        }

        if (status is < 200 or >= 300)
        {
            var retryAfter = RetryAfter(response);
            var retryable = status >= 500 || (status == 429 && retryAfter is not null);
            return new HopOutcome(hop.Failed(FetchFailure.HttpStatus, retryable, null, status) with { RetryAfter = retryAfter }, null, status);
        }

        var contentType = response.Content.Headers.ContentType;
        var mediaType = contentType?.MediaType?.ToLowerInvariant();
        if (!FetchKinds.Accepts(hop.Kind, mediaType))
        {
            return hop.Fail(FetchFailure.WrongContentType, retryable: false, mediaType ?? "no content type", status);
        }

        var cap = _options.MaxBytes(hop.Kind);
        var truncates = hop.Kind == FetchKind.Robots;
        if (response.Content.Headers.ContentLength > cap && !truncates)
        {
            return hop.Fail(FetchFailure.TooLarge, retryable: false, "declared length over the cap", status);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var body = await CappedBody.ReadAsync(stream, response.Content.Headers.ContentLength, cap, ct);
        if (body.Exceeded && !truncates)
        {
            return hop.Fail(FetchFailure.TooLarge, retryable: false, $"over {cap} bytes", status);
        }

        return new HopOutcome(new FetchResult
        {
            Url = hop.Url,
            FinalUrl = hop.Current,
            Redirects = hop.Redirects,
            Status = status,
            ContentType = mediaType,
            Charset = contentType?.CharSet,
            Body = body.Content,
            Truncated = body.Exceeded,
        }, null, status);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The kind of network failure (connection refused, name not resolved, reset...), never its message, which may carry the URL.</summary>
    private static string NetworkDetail(Exception ex) =>
        Unwrap<SocketException>(ex) is { } socket ? socket.SocketErrorCode.ToString()
        : ex is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown and var error } ? error.ToString()
        : ex.GetType().Name;

    private static T? Unwrap<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match) return match;
        }

        return null;
    }

    public void Dispose()
    {
        _http.Dispose();
        Politeness.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetch {Kind}: {Outcome} (status {Status}, {Redirects} redirects, {Bytes} bytes)")]
    private static partial void LogFetched(ILogger logger, FetchKind kind, string outcome, int? status, int redirects, int bytes);

    /// <summary>Where a hop stands in its fetch, so a failure can be reported against both the first and the current URL.</summary>
    private readonly record struct HopContext(Uri Url, Uri Current, int Redirects, FetchKind Kind)
    {
        public FetchResult Failed(FetchFailure failure, bool retryable, string? detail = null, int? status = null) =>
            FetchResult.Failed(Url, Current, Redirects, failure, retryable, detail) with { Status = status };

        public HopOutcome Fail(FetchFailure failure, bool retryable, string? detail = null, int? status = null) =>
            new(Failed(failure, retryable, detail, status), null, status);
    }

    private sealed record JsonPost(string Json, IReadOnlyDictionary<string, string> Headers);

    /// <summary>A hop ends with a result, or with the next URL to follow.</summary>
    private readonly record struct HopOutcome(FetchResult? Result, Uri? Next, int? Status);
}
