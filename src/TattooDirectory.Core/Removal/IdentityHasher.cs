using System.Security.Cryptography;
using System.Text;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// Turns an artist identity into denylist keys: HMAC-SHA256 under a secret key of a normalised
/// artist id, Instagram handle, and name + studio. Keyed rather than plain hashes so a copy of the
/// denylist cannot be tested against a list of names offline. Losing the key makes the denylist
/// unmatchable, so it is kept with the data (Local) or in the secrets store (AWS).
/// </summary>
public sealed class IdentityHasher
{
    private readonly byte[] _key;

    public IdentityHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32) throw new ArgumentException("The denylist key must be at least 32 bytes.", nameof(key));
        _key = [.. key];
    }

    public string ArtistId(string artistId) => Hash("artist-id", artistId.Trim().ToLowerInvariant());

    /// <summary>Handles compare without '@' and case: "@Ink.Leeds" and "ink.leeds" are one identity.</summary>
    public string Instagram(string handle) => Hash("instagram", NormaliseHandle(handle));

    /// <summary>The same person scraped again under a new id still matches on name + studio.</summary>
    public string NameAtStudio(string name, string? studioId) =>
        Hash("name-studio", ArtistItems.NormaliseName(name) + "\n" + (studioId?.Trim().ToLowerInvariant() ?? ""));

    /// <summary>Every denylist key of an artist as stored (id, handle when known, name + studio when there is a studio).</summary>
    public IReadOnlyList<string> All(Artist artist)
    {
        var hashes = new List<string>(3) { ArtistId(artist.ArtistId) };
        if (!string.IsNullOrWhiteSpace(artist.InstagramHandle)) hashes.Add(Instagram(artist.InstagramHandle));
        // Without a studio the name alone would refuse every namesake working independently.
        if (artist.StudioId is not null) hashes.Add(NameAtStudio(artist.Name, artist.StudioId));
        return hashes;
    }

    public static string NormaliseHandle(string handle) => handle.Trim().TrimStart('@').ToLowerInvariant();

    private string Hash(string kind, string value)
    {
        // The kind is part of the message so an id and a handle that happen to be equal strings
        // still produce different keys.
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(kind + "\0" + value));
        return Convert.ToHexStringLower(mac);
    }
}
