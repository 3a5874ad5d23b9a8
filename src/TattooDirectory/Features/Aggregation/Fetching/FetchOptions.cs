using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>How the scrapers reach the web, bound from <c>Aggregation:Fetch</c>.</summary>
public sealed class FetchOptions
{
    public const string Section = "Aggregation:Fetch";

    /// <summary>The page a site owner reads to learn who we are and how to reach us; it goes into the User-Agent.</summary>
    public string? ContactUrl { get; set; }

    /// <summary>Establishing one TCP (+TLS) connection, the address check included.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One request from sending to the last body byte; each redirect hop gets its own. Waiting for a politeness slot is not counted.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxHtmlBytes { get; set; } = 2 * 1024 * 1024;
    public int MaxImageBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>RFC 9309 §2.5: a crawler parses at least 500 KiB; a longer file is cut there rather than refused.</summary>
    public int MaxRobotsBytes { get; set; } = 500 * 1024;

    public int MaxJsonBytes { get; set; } = 4 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 5;

    public int PerHostConcurrency { get; set; } = 2;

    /// <summary>The least time between two requests to one host (scheme, name and port); a longer robots.txt Crawl-delay wins.</summary>
    public TimeSpan MinHostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most Crawl-delay we honour, so a hostile robots.txt cannot park the workers on one site.</summary>
    public TimeSpan MaxCrawlDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Requests in flight at once across all hosts: a bound on our sockets and buffered bodies
    /// (up to <see cref="MaxImageBytes"/> each), not a politeness rule. A page that never answers
    /// holds its slot for <see cref="TotalTimeout"/>, so a few of those must not stall every site.
    /// </summary>
    public int GlobalConcurrency { get; set; } = 32;

    /// <summary>How long a fetched robots.txt (or a 4xx for it) is trusted; RFC 9309 §2.4 allows at most 24 hours.</summary>
    public TimeSpan RobotsCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long an unreachable robots.txt (5xx, 429, timeout, network) keeps its host closed before we
    /// ask again. Shorter than the scrape queue's visibility timeout, so a returned message finds the question asked afresh.
    /// </summary>
    public TimeSpan RobotsRetryInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Authorities whose robots.txt is remembered at once; the oldest are forgotten first.</summary>
    public int RobotsCacheEntries { get; set; } = 10_000;

    /// <summary>
    /// <c>host:port</c> or <c>host:first-last</c> entries (each may also be a comma-separated list)
    /// that may be fetched even though their address is loopback or private (e.g.
    /// <c>127.0.0.1:5099-5135</c> for the offline demo web). An entry matches the URL's host or the
    /// address it resolved to.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Extra networks (CIDR, or a single address) never to connect to, on top of the built-in private and reserved ranges.</summary>
    public List<string> DeniedNetworks { get; set; } = [];

    /// <summary>Ports other than 80 and 443 that public sites may use; allow-listed hosts carry their own port.</summary>
    public List<int> AllowedPorts { get; set; } = [];

    public int MaxBytes(FetchKind kind) => kind switch
    {
        FetchKind.Html => MaxHtmlBytes,
        FetchKind.Image => MaxImageBytes,
        FetchKind.Robots => MaxRobotsBytes,
        FetchKind.Json => MaxJsonBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>Checks the section on start: a fetcher with no contact URL or a malformed allow-list would misbehave on every request.</summary>
internal sealed class FetchOptionsValidator : IValidateOptions<FetchOptions>
{
    /// <summary>No single response we keep may be larger; the caps are memory the worker holds per fetch.</summary>
    public const int LargestCap = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, FetchOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string setting, string rule)
        {
            if (!ok) failures.Add($"{FetchOptions.Section}:{setting} {rule}");
        }

        Check(Uri.TryCreate(options.ContactUrl, UriKind.Absolute, out var contact) && (contact.Scheme == Uri.UriSchemeHttp || contact.Scheme == Uri.UriSchemeHttps),
            nameof(FetchOptions.ContactUrl), "must be an absolute http(s) URL: it goes into the User-Agent so site owners can reach us.");
        Check(options.ConnectTimeout > TimeSpan.Zero, nameof(FetchOptions.ConnectTimeout), "must be positive.");
        Check(options.TotalTimeout >= options.ConnectTimeout && options.TotalTimeout > TimeSpan.Zero, nameof(FetchOptions.TotalTimeout), "must be positive and at least ConnectTimeout.");
        foreach (var kind in Enum.GetValues<FetchKind>())
        {
            Check(options.MaxBytes(kind) is > 0 and <= LargestCap, $"Max{kind}Bytes", $"must be from 1 to {LargestCap}.");
        }

        Check(options.MaxRedirects is >= 0 and <= 10, nameof(FetchOptions.MaxRedirects), "must be from 0 to 10.");
        Check(options.PerHostConcurrency >= 1, nameof(FetchOptions.PerHostConcurrency), "must be at least 1.");
        Check(options.GlobalConcurrency >= options.PerHostConcurrency, nameof(FetchOptions.GlobalConcurrency), "must be at least PerHostConcurrency.");
        Check(options.MinHostInterval >= TimeSpan.Zero, nameof(FetchOptions.MinHostInterval), "must not be negative.");
        Check(options.MaxCrawlDelay >= options.MinHostInterval, nameof(FetchOptions.MaxCrawlDelay), "must be at least MinHostInterval.");
        Check(options.RobotsCacheDuration > TimeSpan.Zero && options.RobotsCacheDuration <= TimeSpan.FromHours(24),
            nameof(FetchOptions.RobotsCacheDuration), "must be positive and at most 24 hours (RFC 9309 §2.4).");
        Check(options.RobotsRetryInterval > TimeSpan.Zero && options.RobotsRetryInterval <= options.RobotsCacheDuration,
            nameof(FetchOptions.RobotsRetryInterval), "must be positive and at most RobotsCacheDuration.");
        Check(options.RobotsCacheEntries >= 1, nameof(FetchOptions.RobotsCacheEntries), "must be at least 1.");
        foreach (var entry in options.AllowedHosts.Where(e => !HostPort.TryParseEntries(e, out _)))
        {
            Check(false, nameof(FetchOptions.AllowedHosts), $"entry '{entry}' is not host:port or host:first-last (at most {HostPort.MaxRangePorts} ports).");
        }

        foreach (var entry in options.DeniedNetworks.Where(e => !AddressRules.TryParseNetwork(e, out _)))
        {
            Check(false, nameof(FetchOptions.DeniedNetworks), $"entry '{entry}' is not an address or CIDR network.");
        }

        foreach (var port in options.AllowedPorts.Where(p => p is < 1 or > 65535))
        {
            Check(false, nameof(FetchOptions.AllowedPorts), $"entry {port} is not a port.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
