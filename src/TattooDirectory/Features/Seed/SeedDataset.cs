using TattooDirectory.Core.Domain;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// The bundled demo dataset (F7): fictional studios and artists in the five launch cities, with
/// generated portfolio artwork. Every entity is a pure function of the seed and its index, so
/// the same options always give byte-identical data, and both sequences stream lazily in
/// constant memory whatever their size.
/// </summary>
public sealed class SeedDataset
{
    private readonly StudioFactory studios;
    private readonly ArtistFactory artists;

    public SeedDataset(SeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Artists);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Artists, SeedOptions.MaxArtists);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Studios, 1);
        Options = options;
        studios = new StudioFactory(options.Seed);
        artists = new ArtistFactory(options);
    }

    public SeedOptions Options { get; }

    /// <summary>The cities the seed covers, the launch city (Leeds, the largest share) first.</summary>
    public static IReadOnlyList<string> Cities { get; } = SeedCities.All.Select(c => c.Name).ToArray();

    public IEnumerable<Studio> Studios()
    {
        for (long i = 0; i < Options.Studios; i++) yield return studios.Create(i);
    }

    /// <summary>Artists in index order, each with its portfolio and avatar (rendered on demand).</summary>
    public IEnumerable<SeedArtist> Artists()
    {
        for (long i = 0; i < Options.Artists; i++)
        {
            var rng = artists.StreamFor(i);
            var studio = studios.Site(StudioIndexFor(i, ref rng));
            yield return artists.Create(i, ref rng, studio);
        }
    }

    /// <summary>
    /// The first artists fill one studio each, so no studio is empty; the rest go to studios in
    /// proportion to their capacity (rejection sampling: no table, so memory stays constant).
    /// </summary>
    private long StudioIndexFor(long artistIndex, ref SeedRandom rng)
    {
        var count = Options.Studios;
        if (artistIndex < count) return artistIndex;
        while (true)
        {
            var candidate = rng.Next(count);
            if (rng.Next(4) < studios.CapacityOf(candidate)) return candidate;
        }
    }
}
