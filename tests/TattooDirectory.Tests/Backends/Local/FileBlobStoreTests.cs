using Microsoft.AspNetCore.WebUtilities;
using TattooDirectory.Backends.Local.Files;
using TattooDirectory.Tests.Contracts;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local;

public sealed class FileBlobStoreTests : BlobStoreContract<FileBlobStore>
{
    private const string Key = "artists/a1/img-1.jpg";
    private static readonly byte[] SigningKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly TempDirectory _directory = new();

    protected override ValueTask<FileBlobStore> OpenAsync(TimeProvider timeProvider) =>
        ValueTask.FromResult(new FileBlobStore(_directory.Path, new FileBlobStoreOptions(SigningKey: SigningKey), timeProvider));

    protected override ValueTask CloseAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void Urls_have_the_documented_shapes()
    {
        var signed = Store.GetSignedUrl(Key, TimeSpan.FromMinutes(10));
        var expires = Clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();

        Assert.Equal("/images/artists/a1/img-1.jpg", Store.GetPublicUrl(Key));
        Assert.False(signed.IsAbsoluteUri);
        Assert.Matches($"^/blobs/artists/a1/img-1\\.jpg\\?expires={expires}&signature=[0-9a-f]{{64}}$", signed.OriginalString);
    }

    [Fact]
    public void A_signed_url_verifies_until_it_expires()
    {
        var (expires, signature) = Parse(Store.GetSignedUrl(Key, TimeSpan.FromMinutes(10)));

        Assert.True(Store.VerifySignature(Key, expires, signature));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(Store.VerifySignature(Key, expires, signature));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Store.VerifySignature(Key, expires, signature));
    }

    [Fact]
    public void A_tampered_signed_url_is_rejected()
    {
        var (expires, signature) = Parse(Store.GetSignedUrl(Key, TimeSpan.FromMinutes(10)));
        var flipped = (signature[0] == '0' ? "1" : "0") + signature[1..];

        Assert.False(Store.VerifySignature(Key, expires, flipped));
        Assert.False(Store.VerifySignature("artists/a1/img-2.jpg", expires, signature));
        Assert.False(Store.VerifySignature(Key, expires + 3600, signature));
        Assert.False(Store.VerifySignature(Key, expires, signature.ToUpperInvariant() + "00"));
        Assert.False(Store.VerifySignature(Key, expires, "not hex at all"));
        Assert.False(Store.VerifySignature(Key, expires, ""));
        Assert.False(Store.VerifySignature("../etc/passwd", expires, signature));
    }

    [Fact]
    public void Signatures_verify_only_with_the_key_that_made_them()
    {
        var (expires, signature) = Parse(Store.GetSignedUrl(Key, TimeSpan.FromMinutes(10)));
        var sameKey = new FileBlobStore(_directory.Path, new FileBlobStoreOptions(SigningKey: SigningKey), Clock);
        var randomKey = new FileBlobStore(_directory.Path, new FileBlobStoreOptions(), Clock);

        Assert.True(sameKey.VerifySignature(Key, expires, signature));
        Assert.False(randomKey.VerifySignature(Key, expires, signature));
    }

    [Fact]
    public async Task The_file_path_of_a_blob_holds_exactly_its_content()
    {
        await Put(Key, "jpeg bytes", "image/jpeg");

        var path = Store.GetFilePath(Key);

        Assert.NotNull(path);
        Assert.StartsWith(_directory.Path, path, StringComparison.Ordinal);
        Assert.Equal("jpeg bytes", await File.ReadAllTextAsync(path, Ct));
        Assert.Null(Store.GetFilePath("artists/a1/missing.jpg"));
        Assert.Null(Store.GetFilePath("../outside.jpg"));
    }

    [Fact]
    public async Task A_blob_is_last_modified_at_the_time_of_its_put()
    {
        Clock.Advance(TimeSpan.FromDays(3));
        await Put(Key, "x", "image/jpeg");

        Assert.Equal(Clock.GetUtcNow(), (await Store.HeadAsync(Key, Ct))?.LastModified);
    }

    [Fact]
    public async Task A_file_placed_in_the_tree_by_hand_is_served_with_its_extension_content_type_and_temp_files_are_not()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory.Path, "blobs", "manual"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "photo.png"), "png", Ct);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "photo.png~0123.tmp"), "partial", Ct);

        var listed = await Store.ListAsync("manual/", Ct).ToListAsync(Ct);

        Assert.Equal([("manual/photo.png", "image/png")], listed.Select(b => (b.Key, b.ContentType)));
    }

    [Fact]
    public async Task One_failing_put_does_not_fail_the_puts_made_durable_with_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync("shared/a", new MemoryStream([1]), "image/svg+xml", cancellationToken: ct);

        // "shared/a/b" needs a folder where the blob "shared/a" is: that put alone must fail.
        var puts = Enumerable.Range(0, 50).Select(i => Store.PutAsync($"group/{i}.svg", new MemoryStream([2]), "image/svg+xml", cancellationToken: ct))
            .Append(Store.PutAsync("shared/a/b", new MemoryStream([3]), "image/svg+xml", cancellationToken: ct))
            .ToList();
        await Assert.ThrowsAnyAsync<IOException>(() => Task.WhenAll(puts));

        Assert.Equal(50, puts.Count(p => p.IsCompletedSuccessfully));
        for (var i = 0; i < 50; i++) Assert.NotNull(await Store.HeadAsync($"group/{i}.svg", ct));
    }

    private static (long Expires, string Signature) Parse(Uri signedUrl)
    {
        var query = QueryHelpers.ParseQuery(signedUrl.OriginalString[signedUrl.OriginalString.IndexOf('?', StringComparison.Ordinal)..]);
        return (long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture), query["signature"]!);
    }
}
