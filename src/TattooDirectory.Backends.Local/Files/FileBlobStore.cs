using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using TattooDirectory.Core.Blobs;

namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// Blobs as plain files under <c>{root}/blobs/{key}</c>, with their headers in
/// <c>{root}/meta/{key}.json</c> (two trees, so no key can collide with a sidecar). A put writes
/// the sidecar, then the content, each atomically: the content is never partial, though an
/// overwrite that changes the content type may show the new type with the old bytes for an
/// instant. Signed URLs are app URLs carrying an HMAC-SHA256 the web host checks with
/// <see cref="VerifySignature"/>.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _blobRoot;
    private readonly string _metaRoot;
    private readonly string _publicBasePath;
    private readonly string _signedBasePath;
    private readonly byte[] _signingKey;
    private readonly TimeProvider _timeProvider;
    private readonly GroupCommit _commits = new();

    public FileBlobStore(string rootDirectory, FileBlobStoreOptions options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.SigningKey is { Length: 0 })
        {
            throw new ArgumentException("The signing key must not be empty.", nameof(options));
        }

        var root = Path.GetFullPath(rootDirectory);
        _blobRoot = Path.Combine(root, "blobs");
        _metaRoot = Path.Combine(root, "meta");
        Directory.CreateDirectory(_blobRoot);
        Directory.CreateDirectory(_metaRoot);
        _publicBasePath = options.PublicBasePath.TrimEnd('/');
        _signedBasePath = options.SignedBasePath.TrimEnd('/');
        _signingKey = options.SigningKey is { } key ? [.. key] : RandomNumberGenerator.GetBytes(32);
        _timeProvider = timeProvider;
    }

    public async Task PutAsync(string key, Stream content, string contentType, string? cacheControl = null, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var now = _timeProvider.GetUtcNow();
        var meta = await BlobSidecar.WriteTempAsync(MetaPath(key), new BlobHeaders(contentType, cacheControl), now, cancellationToken);
        string data;
        try
        {
            data = await AtomicFile.WriteTempAsync(ContentPath(key), content.CopyToAsync, now, cancellationToken);
        }
        catch
        {
            File.Delete(meta);
            throw;
        }

        // Sidecar first, then content, in one durable group.
        await _commits.CommitAsync([(meta, MetaPath(key)), (data, ContentPath(key))]);
    }

    public Task<Blob?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        var path = ContentPath(key);
        FileStream content;
        try
        {
            // Sharing delete and write lets an overwrite or delete proceed while this reader
            // keeps streaming the content it opened.
            content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4_096, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException
            || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            // A key naming the folder of other keys ("artists/a1" beside "artists/a1/x.jpg") is no blob, as in S3.
            return Task.FromResult<Blob?>(null);
        }

        var info = InfoOf(key, content.Length, File.GetLastWriteTimeUtc(content.SafeFileHandle));
        return Task.FromResult<Blob?>(new Blob(info, content));
    }

    public Task<BlobInfo?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(ContentPath(key));
        return Task.FromResult(file.Exists ? InfoOf(key, file) : null);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(ContentPath(key));
        if (!file.Exists)
        {
            return Task.FromResult(false);
        }

        file.Delete();
        File.Delete(MetaPath(key));
        return Task.FromResult(true);
    }

    /// <summary>Blobs whose key starts with the prefix, in key order (as S3 lists them).</summary>
    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKeys.ValidatePrefix(prefix);
        var lastSlash = prefix.LastIndexOf('/');
        var start = lastSlash < 0 ? "" : prefix[..(lastSlash + 1)];
        foreach (var (key, file) in Walk(Path.Combine(_blobRoot, start), start, prefix))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return InfoOf(key, file);
        }
    }

    public Uri GetSignedUrl(string key, TimeSpan validFor)
    {
        BlobKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        var expires = (_timeProvider.GetUtcNow() + validFor).ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(Sign(key, expires));
        return new Uri(
            string.Create(CultureInfo.InvariantCulture, $"{_signedBasePath}/{key}?expires={expires}&signature={signature}"),
            UriKind.Relative);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is this store's signature of the key and expiry
    /// and the expiry (unix seconds) has not passed. Never throws on hostile input.
    /// </summary>
    public bool VerifySignature(string key, long expires, string signature)
    {
        if (!BlobKeys.IsValid(key) || signature is null || _timeProvider.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        var parsed = signature.Length == given.Length * 2
            && Convert.FromHexString(signature, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == given.Length;
        return parsed && CryptographicOperations.FixedTimeEquals(Sign(key, expires), given);
    }

    public string GetPublicUrl(string key)
    {
        BlobKeys.Validate(key);
        return $"{_publicBasePath}/{key}";
    }

    /// <summary>The file holding the blob's content, for the web host to serve with ranges and ETags; null for an invalid key or a missing blob.</summary>
    public string? GetFilePath(string key) =>
        BlobKeys.IsValid(key) && File.Exists(ContentPath(key)) ? ContentPath(key) : null;

    private byte[] Sign(string key, long expires) =>
        HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key}\n{expires}")));

    private string ContentPath(string key) => Path.Combine(_blobRoot, key);

    private string MetaPath(string key) => Path.Combine(_metaRoot, key + ".json");

    private BlobInfo InfoOf(string key, FileInfo file) => InfoOf(key, file.Length, file.LastWriteTimeUtc);

    private BlobInfo InfoOf(string key, long length, DateTime lastWriteUtc)
    {
        var headers = BlobSidecar.Read(MetaPath(key), key);
        return new BlobInfo(key, headers.ContentType, length, headers.CacheControl, new DateTimeOffset(lastWriteUtc, TimeSpan.Zero));
    }

    /// <summary>
    /// Files under <paramref name="directory"/> whose key starts with <paramref name="prefix"/>, in
    /// key order: sorting each directory's entries with '/' after a directory's name gives the
    /// global ordinal order without collecting every key first.
    /// </summary>
    private static IEnumerable<(string Key, FileInfo File)> Walk(string directory, string keyPrefix, string prefix)
    {
        var folder = new DirectoryInfo(directory);
        if (!folder.Exists)
        {
            yield break;
        }

        var entries = folder.EnumerateFileSystemInfos()
            .Where(e => BlobKeys.IsValidSegment(e.Name))
            .Select(e => (Key: keyPrefix + e.Name + (e is DirectoryInfo ? "/" : ""), Entry: e))
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)
                || (e.Entry is DirectoryInfo && prefix.StartsWith(e.Key, StringComparison.Ordinal)))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var (key, entry) in entries)
        {
            if (entry is FileInfo file)
            {
                yield return (key, file);
                continue;
            }

            foreach (var nested in Walk(entry.FullName, key, prefix))
            {
                yield return nested;
            }
        }
    }
}
