using System.Net;
using System.Text.Json;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>
/// Issue 5's acceptance end to end: the app pointed at the offline demo web, runs started over
/// HTTP, the artists found, scraped (styles inferred, WebP thumbnails) and searchable, a denylisted
/// one never let in, and a second run changing nothing. It waits for real: the definition's drain
/// poll is 30 s on the system clock.
/// </summary>
public sealed class AggregationEndToEndTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task A_run_started_over_http_finds_scrapes_and_indexes_the_demo_web_and_a_second_run_changes_nothing()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: AggregationAdminApiTests.Settings(demo.Web));
        var scraped = demo.Web.Manifest.Sites.Where(s => s.City == "Leeds").SelectMany(s => s.Artists).Where(a => a.Expect == ArtistOutcome.Scraped).ToList();
        // One of them asked to be removed before they were ever listed: they must never come in.
        var denied = scraped.Last(a => a.InstagramHandle.Length > 0);
        var hasher = host.Service<Denylist>().Hasher;
        await host.Service<ITable>().TransactWriteAsync([Denylist.Entry(hasher.Instagram(denied.InstagramHandle), "rem-e2e", DateTimeOffset.UtcNow)], Ct);

        var first = await RunAsync(host);

        Assert.Equal("SUCCEEDED", first.GetProperty("status").GetString());
        var summary = first.GetProperty("summary");
        Assert.True(summary.GetProperty("new").GetInt32() >= scraped.Count - 1, summary.ToString());
        Assert.True(summary.GetProperty("denied").GetInt32() + summary.GetProperty("skipped").GetInt32() >= 1, summary.ToString());
        foreach (var artist in scraped.Where(a => a != denied).Take(5))
        {
            var found = await Eventually.GetJsonAsync(host, $"/v1/artists?query={Uri.EscapeDataString(artist.Name)}&limit=50",
                r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("name").GetString() == artist.Name), TimeSpan.FromSeconds(30));
            var item = found.GetProperty("items").EnumerateArray().First(i => i.GetProperty("name").GetString() == artist.Name);
            Assert.NotEmpty(item.GetProperty("styles").EnumerateArray());
            var thumbnails = item.GetProperty("thumbnails").EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.NotEmpty(thumbnails);
            Assert.All(thumbnails, t => Assert.EndsWith(".webp", t, StringComparison.Ordinal));
            using var image = await host.Client.GetAsync(thumbnails[0], Ct);
            Assert.Equal("image/webp", image.Content.Headers.ContentType?.MediaType);
        }
        var search = await host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(denied.Name)}&limit=50");
        Assert.DoesNotContain(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString() == denied.Name);

        var second = await RunAsync(host);

        Assert.Equal("SUCCEEDED", second.GetProperty("status").GetString());
        var again = second.GetProperty("summary");
        Assert.Equal((0, 0), (again.GetProperty("new").GetInt32(), again.GetProperty("updated").GetInt32()));
        Assert.True(again.GetProperty("unchanged").GetInt32() >= scraped.Count - 1, again.ToString());
    }

    private static async Task<JsonElement> RunAsync(DirectoryHost host)
    {
        using var started = await AggregationAdminApiTests.SendAsync(host, HttpMethod.Post, "/v1/admin/aggregation-runs", new { cities = new[] { "Leeds" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await AggregationAdminApiTests.JsonAsync(started)).GetProperty("runId").GetString()!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMinutes(4));
        while (true)
        {
            using var one = await AggregationAdminApiTests.SendAsync(host, HttpMethod.Get, $"/v1/admin/aggregation-runs/{runId}");
            var run = (await AggregationAdminApiTests.JsonAsync(one)).GetProperty("run");
            if (run.GetProperty("status").GetString() != "RUNNING") return run;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token);
        }
    }
}
