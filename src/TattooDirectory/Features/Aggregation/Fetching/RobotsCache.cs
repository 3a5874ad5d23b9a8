using System.Collections.Concurrent;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>What robots.txt says about one URL.</summary>
/// <param name="Allowed">Whether the URL may be fetched.</param>
/// <param name="Unreachable">The file could not be read (5xx, 429, timeout, network), so everything is closed for now: worth trying again later.</param>
/// <param name="CrawlDelay">The host's Crawl-delay for us, when it gave one.</param>
/// <param name="Blocking">
/// Set when asking for robots.txt failed in a way that is the page's failure too: its address is
/// forbidden, or the host did not answer (timeout, network). The page reports that, not "disallowed".
/// </param>
internal sealed record RobotsVerdict(bool Allowed, bool Unreachable, TimeSpan? CrawlDelay, FetchResult? Blocking = null);

/// <summary>
/// robots.txt per authority (scheme, host, port), fetched through the guarded fetcher and kept
/// per RFC 9309: a file or a 4xx for up to <see cref="FetchOptions.RobotsCacheDuration"/>, an
/// unreachable file (everything disallowed) for <see cref="FetchOptions.RobotsRetryInterval"/>.
/// Concurrent checks for one authority share one download.
/// </summary>
internal sealed class RobotsCache(FetchOptions options, TimeProvider time, Func<Uri, CancellationToken, Task<FetchResult>> fetchRobots)
{
    public const string ProductToken = "TattooDirectoryBot";

    /// <summary>The longest a robots.txt download may take, waiting for its turn at the host included.</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public async Task<RobotsVerdict> CheckAsync(Uri url, CancellationToken ct)
    {
        var authority = url.GetLeftPart(UriPartial.Authority);
        var entry = await GetAsync(authority).WaitAsync(ct);
        return entry.Blocking is not null
            ? new RobotsVerdict(false, entry.Unreachable, null, entry.Blocking)
            : new RobotsVerdict(entry.Rules.IsAllowed(url), entry.Unreachable, entry.Rules.CrawlDelay);
    }

    private Task<Entry> GetAsync(string authority)
    {
        while (true)
        {
            if (_entries.TryGetValue(authority, out var current) && !IsStale(current.Value))
            {
                return current.Value;
            }

            // The download runs on its own (not on the first caller's token): others may be waiting for it.
            var fresh = new Lazy<Task<Entry>>(() => LoadAsync(authority));
            var won = current is null ? _entries.TryAdd(authority, fresh) : _entries.TryUpdate(authority, fresh, current);
            if (won)
            {
                if (current is null) TrimIfFull();
                return fresh.Value;
            }
        }
    }

    private bool IsStale(Task<Entry> task) =>
        task.IsFaulted || task.IsCanceled || (task.IsCompletedSuccessfully && time.GetUtcNow() >= task.Result.Expires);

    private async Task<Entry> LoadAsync(string authority)
    {
        await Task.Yield();
        var url = new Uri(authority + "/robots.txt");
        FetchResult result;
        // Everyone asking about this host waits for this download; its turn at the host must not be awaited for ever.
        using (var limit = new CancellationTokenSource(LoadTimeout, time))
        {
            try
            {
                result = await fetchRobots(url, limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                result = FetchResult.Failed(url, url, 0, FetchFailure.Timeout, retryable: true, "no turn at the host in time");
            }
        }

        var now = time.GetUtcNow();
        return result switch
        {
            { Succeeded: true } => new Entry(RobotsRules.Parse(result.Body.Span, ProductToken, result.Truncated), false, null, now + options.RobotsCacheDuration),
            // The robots address itself is refused, and so is every page there. Not kept: it costs nothing to find out again.
            { Failure: FetchFailure.ForbiddenAddress, Redirects: 0 } => new Entry(RobotsRules.DisallowAll, false, result, now),
            // §2.3.1.4: unreachable means complete disallow. When the host did not answer at all, the page reports that.
            { Failure: FetchFailure.Timeout or FetchFailure.Network } => new Entry(RobotsRules.DisallowAll, true, result, now + options.RobotsRetryInterval),
            // A 429 asks us to back off just as a server error does.
            { Failure: FetchFailure.HttpStatus, Status: >= 500 or 429 } => new Entry(RobotsRules.DisallowAll, true, null, now + options.RobotsRetryInterval),
            // §2.3.1.3 and §2.3.1.2: a 4xx, a redirect chain that never reaches a file, or something
            // that is not a text/plain robots.txt means there are no rules.
            _ => new Entry(RobotsRules.AllowAll, false, null, now + options.RobotsCacheDuration),
        };
    }

    /// <summary>Keeps memory bounded across many hosts: drop what expired, then the entries expiring soonest.</summary>
    private void TrimIfFull()
    {
        if (_entries.Count <= options.RobotsCacheEntries) return;

        var now = time.GetUtcNow();
        var byExpiry = _entries
            .Select(e => (e.Key, Expires: e.Value is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } ? e.Value.Value.Result.Expires : DateTimeOffset.MaxValue))
            .OrderBy(e => e.Expires)
            .ToList();
        var excess = _entries.Count - options.RobotsCacheEntries + (options.RobotsCacheEntries / 10);
        foreach (var stale in byExpiry.Where((e, i) => e.Expires <= now || i < excess))
        {
            _entries.TryRemove(stale.Key, out _);
        }
    }

    private sealed record Entry(RobotsRules Rules, bool Unreachable, FetchResult? Blocking, DateTimeOffset Expires);
}
