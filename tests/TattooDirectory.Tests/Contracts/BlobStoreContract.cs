using System.Text;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Blobs;

namespace TattooDirectory.Tests.Contracts;

/// <summary>What every <see cref="IBlobStore"/> adapter must do (the S3 semantics the app relies on).</summary>
public abstract class BlobStoreContract<TStore> : IAsyncLifetime where TStore : class, IBlobStore
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    protected TStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the adapter over empty storage.</summary>
    protected abstract ValueTask<TStore> OpenAsync(TimeProvider timeProvider);

    /// <summary>Closes the adapter and deletes its storage.</summary>
    protected abstract ValueTask CloseAsync();

    public async ValueTask InitializeAsync() => Store = await OpenAsync(Clock);

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_put_blob_reads_back_with_its_content_and_headers()
    {
        await Put("artists/a1/img-1.jpg", "jpeg bytes", "image/jpeg", "public, max-age=31536000, immutable");

        await using var blob = await Store.GetAsync("artists/a1/img-1.jpg", Ct);

        Assert.NotNull(blob);
        Assert.Equal("jpeg bytes", await ReadAll(blob.Content));
        Assert.Equal(("artists/a1/img-1.jpg", "image/jpeg", 10L, "public, max-age=31536000, immutable"), (blob.Info.Key, blob.Info.ContentType, blob.Info.Length, blob.Info.CacheControl));
    }

    [Fact]
    public async Task A_put_replaces_the_previous_blob_whole()
    {
        await Put("docs/readme.txt", "a much longer first version", "text/plain", "no-cache");
        await Put("docs/readme.txt", "second", "application/octet-stream");

        await using var blob = await Store.GetAsync("docs/readme.txt", Ct);

        Assert.Equal("second", await ReadAll(blob!.Content));
        Assert.Equal(("application/octet-stream", 6L, (string?)null), (blob.Info.ContentType, blob.Info.Length, blob.Info.CacheControl));
    }

    [Fact]
    public async Task A_missing_blob_reads_as_null()
    {
        Assert.Null(await Store.GetAsync("nothing/here.jpg", Ct));
        Assert.Null(await Store.HeadAsync("nothing/here.jpg", Ct));
    }

    [Fact]
    public async Task A_key_naming_the_folder_of_other_keys_is_not_a_blob()
    {
        await Put("artists/a1/img-1.jpg", "x", "image/jpeg");

        Assert.Null(await Store.GetAsync("artists/a1", Ct));
        Assert.Null(await Store.HeadAsync("artists/a1", Ct));
        Assert.False(await Store.DeleteAsync("artists/a1", Ct));
        Assert.NotNull(await Store.HeadAsync("artists/a1/img-1.jpg", Ct));
    }

    [Fact]
    public async Task Head_describes_a_blob_as_get_does()
    {
        await Put("artists/a1/avatar.webp", "webp", "image/webp", "public, max-age=60");

        var head = await Store.HeadAsync("artists/a1/avatar.webp", Ct);
        await using var blob = await Store.GetAsync("artists/a1/avatar.webp", Ct);

        Assert.Equal(blob!.Info, head);
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_says_whether_there_was_one()
    {
        await Put("artists/a1/img-1.jpg", "x", "image/jpeg");

        Assert.True(await Store.DeleteAsync("artists/a1/img-1.jpg", Ct));
        Assert.False(await Store.DeleteAsync("artists/a1/img-1.jpg", Ct));
        Assert.Null(await Store.GetAsync("artists/a1/img-1.jpg", Ct));
        Assert.Empty(await Store.ListAsync("artists/", Ct).ToListAsync(Ct));
    }

    [Theory]
    [InlineData("a/", new[] { "a/1.jpg", "a/2.jpg", "a/b/3.jpg" })]
    [InlineData("a", new[] { "a-b/4.jpg", "a/1.jpg", "a/2.jpg", "a/b/3.jpg", "ab/5.jpg" })]
    [InlineData("a/b", new[] { "a/b/3.jpg" })]
    [InlineData("", new[] { "a-b/4.jpg", "a/1.jpg", "a/2.jpg", "a/b/3.jpg", "ab/5.jpg", "b/6.jpg" })]
    [InlineData("zz", new string[0])]
    public async Task Listing_returns_the_blobs_under_a_prefix_in_key_order(string prefix, string[] expected)
    {
        foreach (var key in new[] { "b/6.jpg", "a/b/3.jpg", "ab/5.jpg", "a/2.jpg", "a-b/4.jpg", "a/1.jpg" })
        {
            await Put(key, key, "image/jpeg");
        }

        var listed = await Store.ListAsync(prefix, Ct).ToListAsync(Ct);

        Assert.Equal(expected, listed.Select(b => b.Key));
        Assert.All(listed, b => Assert.Equal(("image/jpeg", (long)b.Key.Length), (b.ContentType, b.Length)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b.jpg")]
    [InlineData("..")]
    [InlineData("a/./b.jpg")]
    [InlineData("a\\b.jpg")]
    [InlineData("a//b.jpg")]
    [InlineData("a/")]
    [InlineData("Upper.jpg")]
    [InlineData("with space.jpg")]
    [InlineData("c:/x.jpg")]
    [InlineData("caf\u00e9.jpg")]
    public async Task Bad_keys_are_rejected(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), "image/jpeg", cancellationToken: Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.HeadAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
        Assert.ThrowsAny<ArgumentException>(() => Store.GetSignedUrl(key, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Keys_may_be_512_characters_long_but_no_longer()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('k', 126), 4)) + "/abcd";
        Assert.Equal(512, longest.Length);

        await Put(longest, "x", "text/plain");

        Assert.NotNull(await Store.HeadAsync(longest, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(longest + "d", new MemoryStream([1]), "text/plain", cancellationToken: Ct));
    }

    [Fact]
    public void Urls_name_the_key()
    {
        Assert.EndsWith("/artists/a1/img-1.jpg", Store.GetPublicUrl("artists/a1/img-1.jpg"), StringComparison.Ordinal);
        Assert.Contains("artists/a1/img-1.jpg", Store.GetSignedUrl("artists/a1/img-1.jpg", TimeSpan.FromMinutes(5)).OriginalString, StringComparison.Ordinal);
    }

    protected Task Put(string key, string content, string contentType, string? cacheControl = null) =>
        Store.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(content)), contentType, cacheControl, Ct);

    protected static async Task<string> ReadAll(Stream content)
    {
        using var reader = new StreamReader(content, Encoding.UTF8);
        return await reader.ReadToEndAsync(Ct);
    }
}
