using Amazon.S3;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Tests.Contracts;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>The blob contract on an S3 endpoint: a fresh bucket per test, emptied and deleted afterwards.</summary>
public abstract class S3BlobStoreContract : BlobStoreContract<S3BlobStore>
{
    private AmazonS3Client? _client;

    protected AwsOptions Settings { get; private set; } = null!;

    protected abstract Task<(Uri Endpoint, string AccessKey)> EndpointAsync();

    protected override async ValueTask<S3BlobStore> OpenAsync(TimeProvider timeProvider)
    {
        var (endpoint, accessKey) = await EndpointAsync();
        Settings = AwsEmulators.Options(s3: endpoint, accessKey: accessKey);
        _client = AwsEmulators.S3Client(Settings);
        await S3BlobStore.EnsureBucketAsync(_client, Settings.S3.Bucket, Ct);
        return new S3BlobStore(_client, Settings.S3, Settings.Region);
    }

    protected override async ValueTask CloseAsync()
    {
        if (_client is null)
        {
            return;
        }

        await foreach (var blob in Store.ListAsync("", CancellationToken.None))
        {
            await Store.DeleteAsync(blob.Key, CancellationToken.None);
        }

        await _client.DeleteBucketAsync(Settings.S3.Bucket);
        _client.Dispose();
    }

    [Fact]
    public async Task A_signed_url_downloads_the_blob()
    {
        await Put("artists/a1/img-1.jpg", "jpeg bytes", "image/jpeg");
        using var http = new HttpClient();

        var content = await http.GetStringAsync(Store.GetSignedUrl("artists/a1/img-1.jpg", TimeSpan.FromMinutes(5)), Ct);

        Assert.Equal("jpeg bytes", content);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        await Store.PutAsync("docs/stream.bin", new ForwardOnlyStream(bytes), "application/octet-stream", cancellationToken: Ct);

        await using var blob = await Store.GetAsync("docs/stream.bin", Ct);
        using var copy = new MemoryStream();
        await blob!.Content.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void The_public_url_is_the_configured_base_or_the_bucket()
    {
        var cdn = new S3BlobStore(_client!, new S3Options { Bucket = "media", PublicBaseUrl = "https://cdn.example.org/" }, "eu-west-2");
        var regional = new S3BlobStore(_client!, new S3Options { Bucket = "media" }, "eu-west-2");

        Assert.Equal("https://cdn.example.org/artists/a1/img-1.jpg", cdn.GetPublicUrl("artists/a1/img-1.jpg"));
        Assert.Equal("https://media.s3.eu-west-2.amazonaws.com/artists/a1/img-1.jpg", regional.GetPublicUrl("artists/a1/img-1.jpg"));
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The blob contract on s3rver (path-style, keys S3RVER/S3RVER, no chunked signing).</summary>
public sealed class S3rverBlobStoreTests : S3BlobStoreContract
{
    protected override async Task<(Uri, string)> EndpointAsync() => (await AwsEmulators.S3rverAsync(), "S3RVER");
}

/// <summary>The blob contract on LocalStack, when LOCALSTACK_ENDPOINT points at one.</summary>
public sealed class LocalStackBlobStoreTests : S3BlobStoreContract
{
    protected override Task<(Uri, string)> EndpointAsync() => Task.FromResult((AwsEmulators.LocalStack(), "test"));
}
