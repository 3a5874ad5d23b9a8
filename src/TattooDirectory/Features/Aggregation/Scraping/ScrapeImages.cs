using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>An artist's images as stored: the portfolio, the avatar's key, and what was skipped and why.</summary>
internal sealed record StoredPortfolio(IReadOnlyList<PortfolioImage> Images, string? AvatarKey, int Skipped, IReadOnlyList<string> SkipReasons);

/// <summary>
/// Downloads, processes and stores an artist's images under <c>artists/{artistId}/</c>, named by
/// the SHA-256 of the full WebP: content-addressed, so a re-scrape of the same picture writes the
/// same keys (stored once, cacheable forever) and a changed picture gets new ones.
/// </summary>
internal sealed class ScrapeImages(WebFetcher fetcher, IBlobStore blobs, ImageProcessor processor)
{
    public const string CacheControl = "public, max-age=31536000, immutable";
    private const string WebpType = "image/webp";

    public static string FullKey(string artistId, string hash) => $"{ArtistBlobs.Prefix(artistId)}{hash}.webp";

    public static string ThumbnailKey(string artistId, string hash) => $"{ArtistBlobs.Prefix(artistId)}{hash}-thumb.webp";

    public async Task<StoredPortfolio> StoreAsync(string artistId, ExtractedArtist page, CancellationToken ct)
    {
        var images = new List<PortfolioImage>(page.Images.Count);
        var reasons = new List<string>();
        foreach (var source in page.Images)
        {
            var (processed, refusal) = await DownloadAsync(source.Url, ct);
            if (processed is null)
            {
                reasons.Add(refusal!);
                continue;
            }

            var imageId = "img-" + processed.Hash[..32];
            // The same picture twice on one page is one portfolio piece.
            if (images.Any(i => i.ImageId == imageId)) continue;
            await PutAsync(FullKey(artistId, processed.Hash), processed.Full, ct);
            await PutAsync(ThumbnailKey(artistId, processed.Hash), processed.Thumbnail, ct);
            images.Add(new PortfolioImage
            {
                ImageId = imageId,
                ArtistId = artistId,
                BlobKey = FullKey(artistId, processed.Hash),
                ThumbnailKey = ThumbnailKey(artistId, processed.Hash),
                Width = processed.Width,
                Height = processed.Height,
                Caption = source.Caption ?? source.Alt,
                Style = StyleInference.ForImage(source),
                Position = images.Count,
            });
        }

        string? avatarKey = null;
        if (page.Avatar is { } avatarUrl)
        {
            // An avatar is only ever shown small: its thumbnail is all that is kept.
            var (avatar, refusal) = await DownloadAsync(avatarUrl, ct);
            if (avatar is not null)
            {
                avatarKey = ThumbnailKey(artistId, avatar.Hash);
                await PutAsync(avatarKey, avatar.Thumbnail, ct);
            }
            else
            {
                reasons.Add("avatar " + refusal);
            }
        }

        return new StoredPortfolio(images, avatarKey, reasons.Count, reasons);
    }

    /// <summary>After an update, removes the files the stored profile used and the new one no longer does.</summary>
    public async Task DeleteReplacedAsync(ArtistProfile previous, Artist artist, IReadOnlyList<PortfolioImage> images, CancellationToken ct)
    {
        var kept = images.SelectMany(i => new[] { i.BlobKey, i.ThumbnailKey }).Append(artist.AvatarKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var old = previous.Images.SelectMany(i => new[] { i.BlobKey, i.ThumbnailKey }).Append(previous.Artist.AvatarKey).OfType<string>();
        foreach (var key in old.Where(k => !kept.Contains(k) && ArtistBlobs.ArtistIdOf(k) == artist.ArtistId).Distinct(StringComparer.Ordinal))
        {
            await blobs.DeleteAsync(key, ct);
        }
    }

    private async Task<ImageOutcome> DownloadAsync(Uri url, CancellationToken ct)
    {
        var fetched = await fetcher.GetAsync(url, FetchKind.Image, ct);
        if (!fetched.Succeeded) return ImageOutcome.Refused(fetched.Reason.ToLowerInvariant());
        // libvips wants an array; the body is one already unless the fetcher sliced it.
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(fetched.Body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : fetched.Body.ToArray();
        return await Task.Run(() => processor.Process(bytes), ct);
    }

    private async Task PutAsync(string key, byte[] content, CancellationToken ct)
    {
        // Content-addressed: a file already there has exactly these bytes.
        if (await blobs.HeadAsync(key, ct) is not null) return;
        using var stream = new MemoryStream(content, writable: false);
        await blobs.PutAsync(key, stream, WebpType, CacheControl, ct);
    }
}
