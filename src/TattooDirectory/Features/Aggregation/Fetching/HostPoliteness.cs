using System.Threading.RateLimiting;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>One request's claim on a host: which authority, and the spacing that host gets.</summary>
internal readonly record struct HostSlot(string Authority, TimeSpan Interval);

/// <summary>
/// How hard we lean on any one site, and on the network as a whole: at most
/// <see cref="FetchOptions.PerHostConcurrency"/> requests in flight per authority, requests to one
/// authority started at least <see cref="FetchOptions.MinHostInterval"/> (or its Crawl-delay,
/// capped) apart, and at most <see cref="FetchOptions.GlobalConcurrency"/> in flight overall.
/// Idle partitions are disposed by the partitioned limiter, so a long crawl over many sites
/// keeps no state for the ones it has left.
/// </summary>
internal sealed class HostPoliteness : IDisposable
{
    // A sliding window releases a request's permit when the segment it fell in leaves the window,
    // i.e. between (n-1)/n and 1 window after it started; stretching the window by n/(n-1) makes
    // the spacing at least the interval asked for.
    private const int Segments = 10;

    private readonly FetchOptions _options;
    private readonly PartitionedRateLimiter<HostSlot> _perHost;
    private readonly PartitionedRateLimiter<HostSlot> _spacing;
    private readonly PartitionedRateLimiter<HostSlot> _global;
    private readonly PartitionedRateLimiter<HostSlot> _all;

    public HostPoliteness(FetchOptions options)
    {
        _options = options;
        _perHost = PartitionedRateLimiter.Create<HostSlot, string>(
            slot => RateLimitPartition.GetConcurrencyLimiter(slot.Authority, _ => Concurrency(options.PerHostConcurrency)),
            StringComparer.Ordinal);
        _spacing = PartitionedRateLimiter.Create<HostSlot, HostSlot>(slot => slot.Interval <= TimeSpan.Zero
            ? RateLimitPartition.GetNoLimiter(slot)
            : RateLimitPartition.GetSlidingWindowLimiter(slot, key => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = 1,
                Window = key.Interval * Segments / (Segments - 1),
                SegmentsPerWindow = Segments,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
        _global = PartitionedRateLimiter.Create<HostSlot, string>(
            _ => RateLimitPartition.GetConcurrencyLimiter(string.Empty, _ => Concurrency(options.GlobalConcurrency)));
        // Host slots first: a request waiting for its busy host must not sit on a global slot others could use.
        _all = PartitionedRateLimiter.CreateChained(_perHost, _spacing, _global);
    }

    /// <summary>The spacing for an authority: our minimum, or its Crawl-delay up to our cap.</summary>
    public TimeSpan IntervalFor(TimeSpan? crawlDelay)
    {
        var delay = crawlDelay is { } d ? TimeSpan.FromTicks(Math.Min(d.Ticks, _options.MaxCrawlDelay.Ticks)) : TimeSpan.Zero;
        return delay > _options.MinHostInterval ? delay : _options.MinHostInterval;
    }

    /// <summary>Waits for a turn at the authority of <paramref name="url"/>; dispose the lease when the response is read.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(Uri url, TimeSpan? crawlDelay, CancellationToken ct)
    {
        var lease = await _all.AcquireAsync(SlotFor(url, crawlDelay), 1, ct);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("A politeness queue refused a request although its queues are unbounded.");
        }

        return lease;
    }

    /// <summary>Requests waiting for a turn at this authority (for its concurrency or its spacing).</summary>
    public long Waiting(Uri url, TimeSpan? crawlDelay = null)
    {
        var slot = SlotFor(url, crawlDelay);
        return (_perHost.GetStatistics(slot)?.CurrentQueuedCount ?? 0) + (_spacing.GetStatistics(slot)?.CurrentQueuedCount ?? 0);
    }

    /// <summary>Requests waiting for a global slot.</summary>
    public long WaitingGlobally(Uri url) => _global.GetStatistics(SlotFor(url, null))?.CurrentQueuedCount ?? 0;

    public void Dispose()
    {
        _all.Dispose();
        _perHost.Dispose();
        _spacing.Dispose();
        _global.Dispose();
    }

    private HostSlot SlotFor(Uri url, TimeSpan? crawlDelay) => new(url.GetLeftPart(UriPartial.Authority), IntervalFor(crawlDelay));

    private static ConcurrencyLimiterOptions Concurrency(int permits) => new()
    {
        PermitLimit = permits,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };
}
