namespace TattooDirectory.Features.Seed;

/// <summary>What to generate. The same options always produce byte-identical data.</summary>
public sealed record SeedOptions(int Artists = 320, int Studios = 64, ulong Seed = 20261127)
{
    public const ulong DefaultSeed = 20261127;

    /// <summary>Artists per studio once a dataset grows beyond the bundled one.</summary>
    public const int ArtistsPerStudioAtScale = 20;

    /// <summary>The most artists one dataset may hold (image ids reserve 4 bits per artist index).</summary>
    public const int MaxArtists = 50_000_000;

    /// <summary>
    /// "Now" for the dataset: every UpdatedAt lies in the 90 days before it. Fixed, because a
    /// clock reading would make two runs differ.
    /// </summary>
    public DateTimeOffset SeedEpoch { get; init; } = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Options for a dataset of any size with a realistic studio count: the bundled 64 studios up
    /// to 1,280 artists, then one studio per 20 artists (1,000,000 artists → 50,000 studios).
    /// </summary>
    public static SeedOptions ForArtists(int artists, ulong seed = DefaultSeed) =>
        new(artists, Math.Max(64, artists / ArtistsPerStudioAtScale), seed);
}
