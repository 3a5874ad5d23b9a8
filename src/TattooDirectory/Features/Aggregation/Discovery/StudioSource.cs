using TattooDirectory.Core.Aggregation;

namespace TattooDirectory.Features.Aggregation.Discovery;

/// <summary>
/// One place studios are discovered from (OpenStreetMap Overpass, Google Places, a static list).
/// A source that cannot answer throws <see cref="StudioSourceException"/>; DiscoverStudios carries
/// on with the others.
/// </summary>
public interface IStudioSource
{
    /// <summary>A short name for logs and run records ("overpass").</summary>
    string Name { get; }

    /// <summary>Whether the source is configured; an unconfigured one is skipped.</summary>
    bool Enabled { get; }

    Task<IReadOnlyList<DiscoveredStudio>> DiscoverAsync(string city, CancellationToken cancellationToken);
}

/// <summary>A source failed; <see cref="Retryable"/> when asking again later may work.</summary>
public sealed class StudioSourceException(string source, string reason, bool retryable) : Exception($"{source}: {reason}")
{
    public string SourceName { get; } = source;
    public string Reason { get; } = reason;
    public bool Retryable { get; } = retryable;
}
