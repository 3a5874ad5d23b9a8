using TattooDirectory.Core.Search;

namespace TattooDirectory.Features.Artists;

/// <summary>
/// Searches the index, and answers from the table (flagged degraded) when the index fails,
/// so seekers still get results during an index outage.
/// </summary>
public sealed partial class ArtistSearch(ISearchIndex index, TableSearch fallback, ILogger<ArtistSearch> logger)
{
    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
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
