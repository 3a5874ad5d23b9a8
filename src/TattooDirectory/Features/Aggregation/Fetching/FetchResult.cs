namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>What a fetch is for; it picks the size cap, the accepted content types and whether robots.txt applies.</summary>
public enum FetchKind
{
    Html,
    Image,
    Robots,

    /// <summary>A documented API (Overpass, Places). Robots.txt governs crawling pages, not API calls, so it is not consulted.</summary>
    Json,
}

public enum FetchFailure
{
    DisallowedByRobots,
    ForbiddenAddress,
    TooLarge,
    Timeout,
    TooManyRedirects,
    WrongContentType,
    HttpStatus,
    Network,
}

/// <summary>
/// The outcome of one fetch, redirects included. A failure is a value, not an exception: the queue
/// worker reads <see cref="Retryable"/> to decide between returning the message and dropping it.
/// </summary>
public sealed record FetchResult
{
    public required Uri Url { get; init; }

    /// <summary>The URL of the last hop: the one that answered, or the one that was refused.</summary>
    public required Uri FinalUrl { get; init; }

    /// <summary>The last HTTP status received; null when no answer came.</summary>
    public int? Status { get; init; }

    /// <summary>The media type, lower case, without parameters.</summary>
    public string? ContentType { get; init; }

    public string? Charset { get; init; }

    /// <summary>The decoded (decompressed) body; empty on failure.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>True when a robots.txt was longer than its cap and only its head was kept.</summary>
    public bool Truncated { get; init; }

    public int Redirects { get; init; }

    public FetchFailure? Failure { get; init; }

    /// <summary>Whether asking again later may succeed: timeouts, 5xx, 429 with Retry-After, network errors, an unreachable robots.txt.</summary>
    public bool Retryable { get; init; }

    /// <summary>The server's Retry-After, when it sent one with a 429 or 5xx.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A short technical note for logs (never content or a URL): the refused address, the unexpected type.</summary>
    public string? Detail { get; init; }

    public bool Succeeded => Failure is null;

    /// <summary>The failure in the words the logs and run reports use.</summary>
    public string Reason => Failure switch
    {
        null => "OK",
        FetchFailure.DisallowedByRobots => "Disallowed by robots",
        FetchFailure.ForbiddenAddress => "Forbidden address",
        FetchFailure.TooLarge => "Too large",
        FetchFailure.Timeout => "Timeout",
        FetchFailure.TooManyRedirects => "Too many redirects",
        FetchFailure.WrongContentType => "Wrong content type",
        FetchFailure.HttpStatus => $"Http {Status}",
        FetchFailure.Network => "Network",
        _ => Failure.ToString()!,
    };

    internal static FetchResult Failed(Uri url, Uri finalUrl, int redirects, FetchFailure failure, bool retryable, string? detail = null) => new()
    {
        Url = url,
        FinalUrl = finalUrl,
        Redirects = redirects,
        Failure = failure,
        Retryable = retryable,
        Detail = detail,
    };
}
