using TattooDirectory.Core.Search;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Artists;

/// <summary>
/// Searches the index, and answers from the table (flagged degraded) when the index fails,
/// so seekers still get results during an index outage. Every search served, by the API and the
/// pages alike, is timed here into <see cref="DirectoryMetrics.SearchDuration"/>.
/// </summary>
public sealed partial class ArtistSearch(ISearchIndex index, TableSearch fallback, DirectoryMetrics metrics, TimeProvider time, ILogger<ArtistSearch> logger)
{
    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = await SearchOrFallBackAsync(request, cancellationToken);
        metrics.SearchDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(MetricNames.Degraded, result.Degraded));
        return result;
    }

    private async Task<SearchResult> SearchOrFallBackAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await index.SearchAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogIndexUnavailable(logger, ex.GetType().Name);
            return await fallback.SearchAsync(request, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index unavailable ({ErrorType}); answering a degraded search from the table")]
    private static partial void LogIndexUnavailable(ILogger logger, string errorType);
}
