using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

/// <summary>
/// One demo web (18 sites: every layout, robots.txt variant and page fault) scraped once, job by
/// job as the worker would on a job's last delivery, so every outcome is final. Shared by the
/// tests that read what the scrape left behind.
/// </summary>
public sealed class DemoWebScrapeFixture : IAsyncLifetime
{
    public const string RunId = "run-demo-1";

    public FakeTimeProvider WebTime { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public DemoWebServer Web { get; private set; } = null!;

    internal ScrapeRig Rig { get; private set; } = null!;

    public IReadOnlyList<(ManifestSite Site, ManifestArtist Artist, ScrapeJob Job)> Jobs { get; private set; } = [];

    public IReadOnlyDictionary<string, ScrapeOutcome?> Outcomes { get; private set; } = new Dictionary<string, ScrapeOutcome?>();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Web = await DemoWebServer.StartAsync(new DemoWebOptions { Studios = 18 }, WebTime, ct);
        Rig = new ScrapeRig(Web.ListeningEndpoints.Select(e => e.Port));
        foreach (var site in Web.Manifest.Sites)
        {
            await Rig.Catalog.PutStudioAsync(ScrapeRig.StudioAt(site.StudioId, site.Name, site.City, new GeoPoint(site.Lat, site.Lon)), ct);
        }

        Jobs = [.. Web.Manifest.Sites.SelectMany(site => site.Artists.Select(artist => (site, artist, Url: ProfileUrl(site, artist))))
            .Where(x => x.Url is not null)
            .Select(x => (x.site, x.artist, JobFor(x.site, x.artist, x.Url!)))];
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, ScrapeOutcome?>();
        await Parallel.ForEachAsync(Jobs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (entry, token) =>
            outcomes[entry.Artist.Slug] = (await Rig.Scraper.ScrapeAsync(entry.Job, lastAttempt: true, token)).Outcome);
        Outcomes = outcomes;
    }

    public static ScrapeJob JobFor(ManifestSite site, ManifestArtist artist, Uri url, string runId = RunId) =>
        new(AggregationNames.ScrapeIdFor(runId, url), runId, site.StudioId, url, artist.Name, artist.InstagramHandle);

    /// <summary>
    /// The page a discovery would hand the scraper: the artist's own page; on a one-page site the
    /// home page, made distinct per artist by a query because <see cref="AggregationNames.ArtistIdFor"/>
    /// ignores the fragment; the Instagram profile where the site only links that. Artists on sites
    /// robots.txt closes are only reachable through their pages' URLs.
    /// </summary>
    public static Uri? ProfileUrl(ManifestSite site, ManifestArtist artist) =>
        artist.PageUrl is { } page ? new Uri(page)
        : site.Layout == SiteLayout.OnePage ? new Uri($"{site.BaseUrl}?artist={artist.Slug}#{artist.Slug}")
        : artist.Expect == ArtistOutcome.HandleOnly ? new Uri(artist.InstagramUrl)
        : null;

    public async ValueTask DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Web.DisposeAsync();
    }
}
