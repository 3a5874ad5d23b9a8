using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Features.Aggregation.Run;
using TattooDirectory.Features.DemoWeb;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>FindArtists on every kind of demo studio site: the candidates it records are the manifest's artists.</summary>
public sealed class FindArtistsTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private const string RunId = "run-find-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Payload(ManifestSite site) =>
        new() { ["runId"] = RunId, ["studio"] = new JsonObject { ["id"] = "studio-" + site.Index, ["website"] = site.BaseUrl } };

    public static TheoryData<SiteLayout> Layouts => [.. Enum.GetValues<SiteLayout>()];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Every_artist_of_a_crawlable_site_becomes_one_candidate_whatever_the_layout(SiteLayout layout)
    {
        await using var rig = new AggregationRig(demo.Web);
        var sites = demo.Web.Manifest.Sites.Where(s => s.Layout == layout && s.Artists.All(a => a.Expect != ArtistOutcome.NotCrawled)).ToList();
        Assert.NotEmpty(sites);

        foreach (var site in sites)
        {
            var result = await rig.InvokeAsync(FindArtistsTask.TaskName, Payload(site));

            var candidates = (await RunRecords.CandidatesAsync(rig.Backend.Table, RunId, Ct)).Select(c => c.Candidate).Where(c => c.StudioId == "studio-" + site.Index).ToList();
            Assert.Equal(site.Artists.Count, result!["artists"]!.GetValue<int>());
            Assert.Equal(site.Artists.Select(a => a.Name).Order(), candidates.Select(c => c.NameHint ?? "").Order());
            foreach (var artist in site.Artists)
            {
                var candidate = candidates.Single(c => c.NameHint == artist.Name);
                if (artist.PageUrl is { } page) Assert.Equal(new Uri(page), candidate.ProfileUrl);
                if (layout is SiteLayout.OnePage or SiteLayout.InstagramOnly or SiteLayout.JsonLd) Assert.Equal(artist.InstagramHandle, candidate.InstagramHandle);
                if (layout == SiteLayout.InstagramOnly) Assert.Equal("www.instagram.com", candidate.ProfileUrl.Host);
            }

            Assert.Equal(candidates.Count, candidates.Select(c => RunRecords.ScrapeIdFor(RunId, c.ProfileUrl)).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_site_whose_robots_txt_forbids_us_records_nothing()
    {
        await using var rig = new AggregationRig(demo.Web);
        var closed = demo.Web.Manifest.Sites.Where(s => s.Artists.Count > 0 && s.Artists.All(a => a.Expect == ArtistOutcome.NotCrawled)).ToList();
        Assert.NotEmpty(closed);

        foreach (var site in closed)
        {
            var result = await rig.InvokeAsync(FindArtistsTask.TaskName, Payload(site));
            Assert.Equal("robots", result!["skipped"]!.GetValue<string>());
        }

        Assert.Empty(await RunRecords.CandidatesAsync(rig.Backend.Table, RunId, Ct));
    }

    [Fact]
    public async Task A_second_pass_over_a_site_records_the_same_candidates_again_and_no_more()
    {
        await using var rig = new AggregationRig(demo.Web);
        var site = demo.Web.Manifest.Sites.First(s => s.Layout == SiteLayout.TeamPage && s.Artists.All(a => a.Expect != ArtistOutcome.NotCrawled));

        await rig.InvokeAsync(FindArtistsTask.TaskName, Payload(site));
        await rig.InvokeAsync(FindArtistsTask.TaskName, Payload(site));

        Assert.Equal(site.Artists.Count, (await RunRecords.CandidatesAsync(rig.Backend.Table, RunId, Ct)).Count);
    }

    [Fact]
    public async Task A_studio_whose_site_does_not_answer_fails_with_a_named_error()
    {
        await using var rig = new AggregationRig(demo.Web);
        var payload = new JsonObject { ["runId"] = RunId, ["studio"] = new JsonObject { ["id"] = "studio-x", ["website"] = demo.Web.ControlUri + "no-such-page" } };

        var failure = await Assert.ThrowsAsync<TattooDirectory.Core.Workflow.WorkflowTaskException>(() => rig.InvokeAsync(FindArtistsTask.TaskName, payload));

        Assert.Equal(FindArtistsTask.StudioUnreachable, failure.Error);
    }
}
