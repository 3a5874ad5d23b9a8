using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Search;

/// <summary>
/// What the search index holds for one artist (architecture.md "Single-table design"). Built from
/// the artist's items in the store; <see cref="Version"/> is the profile item's version.
/// </summary>
public sealed record ArtistDocument
{
    public required string ArtistId { get; init; }
    public required long Version { get; init; }
    public required string Name { get; init; }
    public string? StudioId { get; init; }
    public string? StudioName { get; init; }
    public required string City { get; init; }
    public required string LocationDisplay { get; init; }
    public required GeoPoint Geo { get; init; }
    public IReadOnlyList<string> Styles { get; init; } = [];
    public string Bio { get; init; } = "";
    public string? InstagramHandle { get; init; }
    public string? AvatarUrl { get; init; }
    public IReadOnlyList<string> Thumbnails { get; init; } = [];
    public double Rating { get; init; }
    public int ReviewCount { get; init; }
    public bool OptedOut { get; init; }
}

/// <summary>An index write carrying the item version: an operation older than what the index holds is ignored.</summary>
public abstract record IndexOperation(string ArtistId, long Version)
{
    public sealed record Upsert(ArtistDocument Document) : IndexOperation(Document.ArtistId, Document.Version);
    /// <summary>Removes the document, leaving a tombstone at this version so a late older upsert cannot resurrect it.</summary>
    public sealed record Delete(string ArtistId, long Version) : IndexOperation(ArtistId, Version);
}

public enum SearchSort
{
    Relevance,
    Distance,
    Rating,
    Name,
}

public sealed record GeoFilter(GeoPoint Center, double RadiusKm);

/// <summary>
/// A search as the engine sees it. Text is plain user text (never query syntax); Styles is
/// any-of; Geo filters by distance; LocationText matches city and location display when the
/// gazetteer did not know the place. Page is 1-based.
/// </summary>
public sealed record SearchRequest
{
    public string? Text { get; init; }
    public IReadOnlyList<string> Styles { get; init; } = [];
    public GeoFilter? Geo { get; init; }
    public string? LocationText { get; init; }
    public string? StudioId { get; init; }
    public SearchSort Sort { get; init; } = SearchSort.Rating;
    public int Page { get; init; } = 1;
    public int Limit { get; init; } = 20;
}

public sealed record SearchHit(ArtistDocument Document, double? DistanceKm);

public sealed record FacetCount(string Value, int Count);

public sealed record SearchResult(
    IReadOnlyList<SearchHit> Hits,
    int Total,
    IReadOnlyList<FacetCount> StyleFacets,
    IReadOnlyList<FacetCount> CityFacets)
{
    /// <summary>True when the answer came from the table because the index was unavailable.</summary>
    public bool Degraded { get; init; }
}

/// <summary>
/// The search index (OpenSearch-shaped). Writes are versioned externally; searches see writes
/// after <see cref="RefreshAsync"/> (near-real-time). Opted-out documents and tombstones never
/// appear in results.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Applies the operations in order; returns how many were applied (the rest were stale).</summary>
    Task<int> ApplyAsync(IReadOnlyList<IndexOperation> operations, CancellationToken cancellationToken = default);

    /// <summary>Makes applied writes visible to searches.</summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);

    /// <summary>Durably commits applied writes (the sync checkpoint moves only after this).</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);

    Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>The version the index holds for the artist (a tombstone's too), or null.</summary>
    Task<long?> GetVersionAsync(string artistId, CancellationToken cancellationToken = default);

    /// <summary>Every live (non-tombstone) document id with its version, for consistency checks and reindex.</summary>
    IAsyncEnumerable<(string ArtistId, long Version)> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every live (non-tombstone) document as stored, opted-out ones included: what the index
    /// could still serve, for audits that must look at names and handles, not only ids.
    /// </summary>
    IAsyncEnumerable<ArtistDocument> ListDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Number of live documents.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
