using NetVips;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Aggregation.Scraping;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

public sealed class DemoWebScrapeTests(DemoWebScrapeFixture demo) : IClassFixture<DemoWebScrapeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_demo_web_offers_every_outcome_and_fault_the_scraper_must_handle()
    {
        var artists = demo.Jobs.Select(j => j.Artist).ToList();
        Assert.All(Enum.GetValues<ArtistOutcome>(), o => Assert.Contains(artists, a => a.Expect == o));
        Assert.Contains(artists, a => a.Fault == PageFault.Malformed);
        Assert.Contains(demo.Jobs, j => j.Site.Layout == SiteLayout.OnePage && j.Artist.Expect == ArtistOutcome.Scraped);
        Assert.Contains(artists.SelectMany(a => a.Images), i => !i.Usable);
    }

    [Fact]
    public async Task Every_scraped_artist_is_in_the_catalog_with_handle_bio_and_inferred_styles()
    {
        foreach (var (site, artist, job) in demo.Jobs.Where(j => j.Artist.Expect == ArtistOutcome.Scraped))
        {
            Assert.Equal(ScrapeOutcomeKind.New, demo.Outcomes[artist.Slug]?.Kind);
            var profile = await demo.Rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct);
            Assert.NotNull(profile);
            Assert.Equal(artist.Name, profile.Artist.Name);
            Assert.Equal(artist.Bio, profile.Artist.Bio);
            Assert.Equal(artist.InstagramHandle.ToLowerInvariant(), profile.Artist.InstagramHandle);
            Assert.Equal(site.StudioId, profile.Artist.StudioId);
            Assert.Equal(site.City, profile.Artist.City);
            Assert.Subset(profile.Artist.Styles.ToHashSet(), artist.Styles.ToHashSet());
            Assert.NotNull(profile.Artist.AvatarKey);
        }
    }

    [Fact]
    public async Task Usable_images_are_stored_as_webp_with_thumbnails_their_styles_and_no_metadata_and_broken_ones_are_skipped()
    {
        foreach (var (_, artist, job) in demo.Jobs.Where(j => j.Artist.Expect == ArtistOutcome.Scraped))
        {
            var profile = (await demo.Rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct))!;
            var usable = artist.Images.Where(i => i.Usable).ToList();
            Assert.Equal(usable.Select(i => i.Style), profile.Images.Select(i => i.Style));
            if (usable.Count < artist.Images.Count) Assert.Contains("skipped", demo.Outcomes[artist.Slug]!.Reason, StringComparison.Ordinal);
            foreach (var image in profile.Images)
            {
                Assert.StartsWith($"artists/{profile.Artist.ArtistId}/", image.BlobKey, StringComparison.Ordinal);
                using var full = await DecodeAsync(image.BlobKey, ScrapeImages.CacheControl);
                using var thumb = await DecodeAsync(image.ThumbnailKey, ScrapeImages.CacheControl);
                Assert.True(Math.Max(full.Width, full.Height) <= 1200, $"full {full.Width}x{full.Height}");
                Assert.True(Math.Max(thumb.Width, thumb.Height) <= 400, $"thumb {thumb.Width}x{thumb.Height}");
                Assert.Equal((image.Width, image.Height), (full.Width, full.Height));
            }
        }

        // The 4,800 px images were scaled down, not refused.
        Assert.Contains(demo.Jobs, j => j.Artist.Expect == ArtistOutcome.Scraped && j.Artist.Images.Any(i => i.Fault == ImageFault.Large));
    }

    [Fact]
    public async Task Instagram_only_artists_are_listed_with_their_handle_and_no_images()
    {
        var handleOnly = demo.Jobs.Where(j => j.Artist.Expect == ArtistOutcome.HandleOnly).ToList();
        Assert.NotEmpty(handleOnly);
        foreach (var (_, artist, job) in handleOnly)
        {
            Assert.Equal(ScrapeOutcomeKind.New, demo.Outcomes[artist.Slug]?.Kind);
            var profile = (await demo.Rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct))!;
            Assert.Equal(artist.InstagramHandle.ToLowerInvariant(), profile.Artist.InstagramHandle);
            Assert.Equal(artist.Name, profile.Artist.Name);
            Assert.Empty(profile.Images);
        }

        // Instagram itself is never fetched: there is no connection beyond loopback at all.
        Assert.All(demo.Rig.Connections, c => Assert.True(System.Net.IPAddress.IsLoopback(c.Address)));
    }

    [Fact]
    public async Task Failing_pages_end_as_failed_outcomes_and_closed_sites_as_robots_skips_with_nothing_written()
    {
        foreach (var (_, artist, job) in demo.Jobs.Where(j => j.Artist.Expect is ArtistOutcome.PageFails or ArtistOutcome.NotCrawled))
        {
            var outcome = demo.Outcomes[artist.Slug];
            Assert.NotNull(outcome);
            if (artist.Expect == ArtistOutcome.PageFails) Assert.Equal(ScrapeOutcomeKind.Failed, outcome.Kind);
            // A robots.txt answering 5xx closes the site "for now": retryable, so the last delivery records it as failed.
            else Assert.True(outcome.Kind == ScrapeOutcomeKind.SkippedRobots || outcome.Reason!.Contains("robots", StringComparison.OrdinalIgnoreCase), $"{outcome.Kind} {outcome.Reason}");
            Assert.Null(await demo.Rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct));
        }
    }

    [Fact]
    public async Task A_redelivered_job_of_the_same_run_changes_nothing_and_a_new_run_finds_the_artist_unchanged()
    {
        var (site, artist, job) = demo.Jobs.First(j => j.Artist.Expect == ArtistOutcome.Scraped && j.Artist.Images.Count > 0);
        var artistId = AggregationNames.ArtistIdFor(job.ProfileUrl);
        var before = (await demo.Rig.Catalog.GetArtistAsync(artistId, Ct))!.Version;
        var outcomeItem = await demo.Rig.Table.GetAsync(Keys.RunJob(job.RunId, job.ScrapeId), Ct);

        var again = await demo.Rig.Scraper.ScrapeAsync(job, lastAttempt: false, Ct);
        Assert.True(again.Delete);
        Assert.Null(again.Outcome);
        Assert.Equal(outcomeItem!.Version, (await demo.Rig.Table.GetAsync(Keys.RunJob(job.RunId, job.ScrapeId), Ct))!.Version);

        var nextRun = DemoWebScrapeFixture.JobFor(site, artist, job.ProfileUrl, runId: "run-demo-2");
        var result = await demo.Rig.Scraper.ScrapeAsync(nextRun, lastAttempt: false, Ct);
        Assert.Equal(ScrapeOutcomeKind.Unchanged, result.Outcome?.Kind);
        Assert.Equal(before, (await demo.Rig.Catalog.GetArtistAsync(artistId, Ct))!.Version);
    }

    [Fact]
    public async Task A_denylisted_handle_is_never_fetched_nor_written()
    {
        var (_, artist, job) = demo.Jobs.First(j => j.Artist.Expect == ArtistOutcome.Scraped);
        await using var rig = new ScrapeRig(demo.Web.ListeningEndpoints.Select(e => e.Port));
        var site = demo.Jobs.First(j => j.Job == job).Site;
        await rig.Catalog.PutStudioAsync(ScrapeRig.StudioAt(site.StudioId, site.Name, site.City, new(site.Lat, site.Lon)), Ct);
        await rig.Table.TransactWriteAsync([Denylist.Entry(rig.Denylist.Hasher.Instagram(artist.InstagramHandle), "removal-1", rig.Time.GetUtcNow())], Ct);

        var result = await rig.Scraper.ScrapeAsync(job, lastAttempt: false, Ct);

        Assert.True(result.Delete);
        Assert.Equal(ScrapeOutcomeKind.SkippedDenied, result.Outcome?.Kind);
        Assert.Null(result.Outcome!.ArtistId);
        Assert.Empty(rig.Connections);
        Assert.Null(await rig.Catalog.GetArtistAsync(AggregationNames.ArtistIdFor(job.ProfileUrl), Ct));
        await foreach (var _ in rig.Blobs.ListAsync("artists/", Ct)) Assert.Fail("A blob was written for a denylisted artist.");
    }

    [Fact]
    public void Logs_name_no_artist_handle_or_bio()
    {
        foreach (var (_, artist, _) in demo.Jobs)
        {
            Assert.DoesNotContain(demo.Rig.Logs.All, l => l.Mentions(artist.Name) || (artist.InstagramHandle.Length > 0 && l.Mentions(artist.InstagramHandle)));
        }
    }

    private async Task<Image> DecodeAsync(string key, string cacheControl)
    {
        await using var blob = await demo.Rig.Blobs.GetAsync(key, Ct);
        Assert.NotNull(blob);
        Assert.Equal("image/webp", blob.Info.ContentType);
        Assert.Equal(cacheControl, blob.Info.CacheControl);
        using var buffer = new MemoryStream();
        await blob.Content.CopyToAsync(buffer, Ct);
        var image = Image.NewFromBuffer(buffer.ToArray());
        Assert.StartsWith("webpload", (string)image.Get("vips-loader"), StringComparison.Ordinal);
        Assert.DoesNotContain(image.GetFields(), f => f is "exif-data" or "xmp-data" or "icc-profile-data" or "iptc-data");
        return image;
    }
}
