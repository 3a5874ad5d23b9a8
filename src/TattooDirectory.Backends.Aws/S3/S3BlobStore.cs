using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using TattooDirectory.Core.Blobs;

namespace TattooDirectory.Backends.Aws.S3;

/// <summary>The blob port on one S3 bucket.</summary>
public sealed class S3BlobStore(IAmazonS3 s3, S3Options options, string region) : IBlobStore
{
    // Listing has no content types, so each listed object is HEADed; this many at a time.
    private const int ListHeadConcurrency = 16;

    public async Task PutAsync(string key, Stream content, string contentType, string? cacheControl = null, CancellationToken cancellationToken = default)
    {
        S3Keys.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        // S3 needs the length up front; a stream that cannot tell it is buffered first.
        await using var buffered = content.CanSeek ? null : new MemoryStream();
        if (buffered is not null)
        {
            await content.CopyToAsync(buffered, cancellationToken);
            buffered.Position = 0;
        }

        var request = new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = key,
            InputStream = buffered ?? content,
            AutoCloseStream = false,
            ContentType = contentType,
            // Chunked (streaming) signing is not understood by S3-compatible stores such as
            // s3rver, which then store the chunk signatures inside the object.
            UseChunkEncoding = false,
        };
        if (cacheControl is not null)
        {
            request.Headers.CacheControl = cacheControl;
        }

        await s3.PutObjectAsync(request, cancellationToken);
    }

    public async Task<Blob?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        S3Keys.Validate(key);
        try
        {
            var response = await s3.GetObjectAsync(options.Bucket, key, cancellationToken);
            return new Blob(new BlobInfo(key, response.Headers.ContentType, response.Headers.ContentLength, response.Headers.CacheControl, LastModified(response.LastModified)), response.ResponseStream);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<BlobInfo?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        S3Keys.Validate(key);
        try
        {
            var response = await s3.GetObjectMetadataAsync(options.Bucket, key, cancellationToken);
            return new BlobInfo(key, response.Headers.ContentType, response.Headers.ContentLength, response.Headers.CacheControl, LastModified(response.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        // S3 answers 204 whether or not the object existed, so the answer comes from a HEAD first.
        if (await HeadAsync(key, cancellationToken) is null)
        {
            return false;
        }

        await s3.DeleteObjectAsync(options.Bucket, key, cancellationToken);
        return true;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        S3Keys.ValidatePrefix(prefix);
        // S3 lists in UTF-8 key order (the port's order for these ASCII keys), but S3-compatible
        // stores such as s3rver do not, so the keys are gathered and sorted before any HEAD.
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = prefix.Length == 0 ? null : prefix };
        do
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        keys.Sort(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(ListHeadConcurrency * 4))
        {
            var infos = new BlobInfo?[chunk.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Length), new ParallelOptions { MaxDegreeOfParallelism = ListHeadConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => infos[i] = await HeadAsync(chunk[i], ct));
            // A blob deleted between the listing and its HEAD is simply not listed.
            foreach (var info in infos.OfType<BlobInfo>())
            {
                yield return info;
            }
        }
    }

    public Uri GetSignedUrl(string key, TimeSpan validFor)
    {
        S3Keys.Validate(key);
        var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = options.Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            // S3 checks the expiry against real time, so it is set from the real clock (not the
            // app's TimeProvider, which tests move around).
            Expires = TimeProvider.System.GetUtcNow().Add(validFor).UtcDateTime,
            Protocol = options.ServiceUrl?.StartsWith("http:", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    public string GetPublicUrl(string key)
    {
        S3Keys.Validate(key);
        return $"{PublicBase()}/{key}";
    }

    /// <summary>Creates the bucket unless it exists (tests, first start against an emulator).</summary>
    public static async Task EnsureBucketAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        try
        {
            await s3.PutBucketAsync(bucket, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    private string PublicBase() =>
        options.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/')
        : options.ServiceUrl is { Length: > 0 } endpoint && options.ForcePathStyle ? $"{endpoint.TrimEnd('/')}/{options.Bucket}"
        : $"https://{options.Bucket}.s3.{region}.amazonaws.com";

    private static DateTimeOffset LastModified(DateTime? lastModified) =>
        lastModified is { } value ? new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
}
