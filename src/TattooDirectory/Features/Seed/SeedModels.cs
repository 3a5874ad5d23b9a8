using TattooDirectory.Core.Domain;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// A file the seed wants in the blob store. Rendering is deferred so that a consumer that only
/// needs records (benchmarks, the search index) never pays for the bytes.
/// </summary>
public sealed record SeedBlob(string Key, string ContentType, Func<byte[]> Render);

public sealed record SeedImage(PortfolioImage Image, SeedBlob Full, SeedBlob Thumbnail);

public sealed record SeedArtist(Artist Artist, IReadOnlyList<SeedImage> Images, SeedBlob Avatar);
