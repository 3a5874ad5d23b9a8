using System.Text.Json;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>A write was refused because it would put a removed (denylisted) identity back.</summary>
public sealed class IdentityDeniedException(IReadOnlyCollection<string> artistIds)
    : Exception($"Refused to write {artistIds.Count} denylisted artist(s): {string.Join(", ", artistIds.Take(10))}.")
{
    /// <summary>The artist ids whose writes were refused (ids only, never names or handles).</summary>
    public IReadOnlyCollection<string> ArtistIds { get; } = artistIds;
}

/// <summary>
/// Where the denylist key comes from (<c>Denylist:Key</c>, base64, at least 32 bytes). When it is
/// not set the Local backend generates one and keeps it with the data.
/// </summary>
public sealed class DenylistOptions
{
    public const string Section = "Denylist";

    public string? Key { get; set; }

    public static bool IsValid(DenylistOptions options) => options.Key is null || Decode(options.Key) is { Length: >= 32 };

    /// <summary>The configured key's bytes, or null when none is configured.</summary>
    public byte[]? KeyBytes() => Key is null ? null : Decode(Key) ?? throw new InvalidOperationException("Denylist:Key is not valid base64.");

    private static byte[]? Decode(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}

/// <summary>
/// The permanent denylist of removed identities (items <c>DENY#{hash}</c>): answers whether an
/// artist, id or handle is denied, and makes the writes that add entries. Only keyed hashes are
/// stored, so the list names nobody.
/// </summary>
public sealed class Denylist(ITable table, IdentityHasher hasher)
{
    // Below this many identities point reads are cheaper; above it one scan of the whole list is
    // (the denylist holds a few entries per removal, far fewer than a bulk load has artists).
    private const int PointReadLimit = 48;

    public IdentityHasher Hasher => hasher;

    public Task<bool> IsDeniedAsync(Artist artist, CancellationToken cancellationToken = default) =>
        AnyDeniedAsync(hasher.All(artist), cancellationToken);

    public Task<bool> IsArtistIdDeniedAsync(string artistId, CancellationToken cancellationToken = default) =>
        AnyDeniedAsync([hasher.ArtistId(artistId)], cancellationToken);

    public Task<bool> IsHandleDeniedAsync(string handle, CancellationToken cancellationToken = default) =>
        AnyDeniedAsync([hasher.Instagram(handle)], cancellationToken);

    public async Task<bool> AnyDeniedAsync(IEnumerable<string> hashes, CancellationToken cancellationToken = default)
    {
        foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
        {
            if (await table.GetAsync(Keys.Denied(hash), cancellationToken) is not null) return true;
        }
        return false;
    }

    /// <summary>Every entry as it is now, for checking many artists at once (seeding, bulk writes).</summary>
    public async Task<DenylistSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in table.ScanAsync(Keys.DenyPrefix, cancellationToken)) hashes.Add(item.Pk[Keys.DenyPrefix.Length..]);
        return new DenylistSnapshot(hashes, hasher);
    }

    /// <summary>
    /// The ids among <paramref name="artists"/> that are denied: by id, and by handle and
    /// name + studio where the artist's profile is known.
    /// </summary>
    public async Task<IReadOnlySet<string>> DeniedAmongAsync(IReadOnlyDictionary<string, Artist?> artists, CancellationToken cancellationToken = default)
    {
        var denied = new HashSet<string>(StringComparer.Ordinal);
        if (artists.Count == 0) return denied;
        if (artists.Count <= PointReadLimit)
        {
            foreach (var (id, profile) in artists)
            {
                if (await AnyDeniedAsync(HashesOf(id, profile), cancellationToken)) denied.Add(id);
            }
            return denied;
        }
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.IsEmpty) return denied;
        foreach (var (id, profile) in artists)
        {
            if (HashesOf(id, profile).Any(snapshot.Contains)) denied.Add(id);
        }
        return denied;
    }

    /// <summary>The keys a write of this artist must find absent: the id's, plus the profile's identities when known.</summary>
    public IReadOnlyList<string> HashesOf(string artistId, Artist? profile) =>
        profile is null ? [hasher.ArtistId(artistId)] : [.. hasher.All(profile).Prepend(hasher.ArtistId(artistId)).Distinct(StringComparer.Ordinal)];

    /// <summary>The write that adds one entry; unconditional, so adding an identity twice is harmless.</summary>
    public static TableWrite Entry(string identityHash, string requestId, DateTimeOffset at)
    {
        var key = Keys.Denied(identityHash);
        var data = JsonSerializer.Serialize(new DenylistEntry(requestId, at), RemovalJson.Default.DenylistEntry);
        return new TableWrite.Put(new Item { Pk = key.Pk, Sk = key.Sk, Data = data });
    }
}

/// <summary>What a denylist item records besides its key: which request put it there and when.</summary>
public sealed record DenylistEntry(string RequestId, DateTimeOffset AddedAt);

/// <summary>The denylist read at one moment; for many checks in memory.</summary>
public sealed class DenylistSnapshot(IReadOnlySet<string> hashes, IdentityHasher hasher)
{
    public bool IsEmpty => hashes.Count == 0;

    public int Count => hashes.Count;

    public bool Contains(string identityHash) => hashes.Contains(identityHash);

    public bool IsDenied(Artist artist) => !IsEmpty && hasher.All(artist).Any(hashes.Contains);

    public bool IsArtistIdDenied(string artistId) => !IsEmpty && hashes.Contains(hasher.ArtistId(artistId));
}
