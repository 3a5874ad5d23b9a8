using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>What the offline demo web generates and how its server behaves. The same options always give the same sites.</summary>
public sealed record DemoWebOptions
{
    public const int DefaultStudios = 36;
    public const int MaxStudios = 1000;

    /// <summary>How many studio sites; each gets 1–8 artists.</summary>
    public int Studios { get; init; } = DefaultStudios;

    public ulong Seed { get; init; } = SeedOptions.DefaultSeed;

    /// <summary>
    /// The control port; the sites take the ports right after it (base + 1 … base + Studios).
    /// Null: every listener takes a free port, for tests running side by side.
    /// </summary>
    public int? BasePort { get; init; }

    /// <summary>How long the deliberately slow page waits before answering (longer than any sane fetch timeout).</summary>
    public TimeSpan SlowResponseDelay { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Size of the deliberately huge page, streamed without a Content-Length.</summary>
    public long HugePageBytes { get; init; } = 8L << 20;

    /// <summary>Most portfolio images per artist, so 1,000 artists come to about 5,000 images.</summary>
    public int MaxImagesPerArtist { get; init; } = 6;

    /// <summary>Rendered images kept in memory up to this many bytes; rendering is most of the server's work.</summary>
    public long ImageCacheBytes { get; init; } = 512L << 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Studios, 1, nameof(Studios));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Studios, MaxStudios, nameof(Studios));
        if (BasePort is { } port && (port < 1024 || port + Studios > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(BasePort), port, $"The control port and the {Studios} site ports after it must lie within 1024–65535.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(SlowResponseDelay, TimeSpan.Zero, nameof(SlowResponseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(HugePageBytes, 1L << 20, nameof(HugePageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxImagesPerArtist, ArtistFactory.MinImages, nameof(MaxImagesPerArtist));
        ArgumentOutOfRangeException.ThrowIfNegative(ImageCacheBytes, nameof(ImageCacheBytes));
    }
}
