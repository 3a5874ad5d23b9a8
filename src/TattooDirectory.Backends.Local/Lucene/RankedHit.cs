using Lucene.Net.Util;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// A candidate in the top-N queue: only the keys its sort needs are filled. Mutable and reused,
/// because the collector offers every hit and most are rejected without allocating.
/// </summary>
internal sealed class RankedHit
{
    /// <summary>Top-level (searcher-wide) document number.</summary>
    public int Doc { get; set; }
    public float Score { get; set; }
    public double DistanceKm { get; set; } = double.NaN;
    public double Rating { get; set; }
    public long ReviewCount { get; set; }
    /// <summary>UTF-8 sort key, compared bytewise like the DocValues ordinals it came from.</summary>
    public BytesRef NameKey { get; } = new();
    public string ArtistId { get; set; } = "";
}

/// <summary>The result order for each sort. Negative means <c>a</c> is listed before <c>b</c>.</summary>
internal static class HitOrder
{
    public static int ComparePrimary(SearchSort sort, RankedHit a, RankedHit b) => sort switch
    {
        SearchSort.Relevance => b.Score.CompareTo(a.Score),
        SearchSort.Distance => a.DistanceKm.CompareTo(b.DistanceKm),
        SearchSort.Name => a.NameKey.CompareTo(b.NameKey),
        _ => b.Rating.CompareTo(a.Rating) is var byRating and not 0 ? byRating : b.ReviewCount.CompareTo(a.ReviewCount),
    };

    /// <summary>Ties always fall to the artist id so a page boundary never shuffles between requests.</summary>
    public static int Compare(SearchSort sort, RankedHit a, RankedHit b) =>
        ComparePrimary(sort, a, b) is var primary and not 0 ? primary : string.CompareOrdinal(a.ArtistId, b.ArtistId);
}
