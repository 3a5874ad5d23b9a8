namespace TattooDirectory.Core.Caching;

/// <summary>The tags cached responses carry, so everything that shows one artist or studio can be dropped at once.</summary>
public static class CacheTags
{
    public static string Artist(string artistId) => "artist:" + artistId;
    public static string Studio(string studioId) => "studio:" + studioId;
}

/// <summary>
/// Drops cached responses that show the given artists or studios: the app's output cache on the
/// Local backend, a CDN invalidation on AWS. Called after a purge and by the sync after every
/// change it applies, so a cached page never outlives the data behind it by more than a pass.
/// </summary>
public interface IResponseCacheInvalidator
{
    Task InvalidateAsync(IReadOnlyCollection<string> artistIds, IReadOnlyCollection<string> studioIds, CancellationToken cancellationToken = default);
}
