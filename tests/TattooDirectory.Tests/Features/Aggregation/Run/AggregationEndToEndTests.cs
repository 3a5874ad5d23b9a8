using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>
/// END-TO-END (needs the scrape worker, Features/Aggregation/Scraping): the app started over the
/// demo web, a run started over HTTP, the run SUCCEEDED, and the scraped artists searchable. It
/// skips itself while no scrape worker is registered, and runs once one is. It waits for real:
/// the definition's drain poll is 30 s on the system clock.
/// </summary>
public sealed class AggregationEndToEndTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task A_run_started_over_http_succeeds_and_its_artists_are_searchable()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: AggregationAdminApiTests.Settings(demo.Web));
        if (!host.App.Services.GetServices<IHostedService>().Any(s => s.GetType().Namespace?.EndsWith("Aggregation.Scraping", StringComparison.Ordinal) == true))
        {
            Assert.Skip("No scrape worker is registered yet (Features/Aggregation/Scraping): nothing would take the jobs.");
        }

        using var started = await AggregationAdminApiTests.SendAsync(host, HttpMethod.Post, "/v1/admin/aggregation-runs", new { cities = new[] { "Leeds" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await AggregationAdminApiTests.JsonAsync(started)).GetProperty("runId").GetString()!;

        JsonElement run = default;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            cts.CancelAfter(TimeSpan.FromMinutes(4));
            while (!cts.IsCancellationRequested)
            {
                using var one = await AggregationAdminApiTests.SendAsync(host, HttpMethod.Get, $"/v1/admin/aggregation-runs/{runId}");
                run = (await AggregationAdminApiTests.JsonAsync(one)).GetProperty("run");
                if (run.GetProperty("status").GetString() != "RUNNING") break;
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }
        }

        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());
        var scraped = demo.Web.Manifest.Sites.Where(s => s.City == "Leeds").SelectMany(s => s.Artists).Where(a => a.Expect == ArtistOutcome.Scraped).ToList();
        Assert.True(run.GetProperty("summary").GetProperty("new").GetInt32() >= scraped.Count);
        var artist = scraped[0];
        var found = await Eventually.GetJsonAsync(host, $"/v1/artists?query={Uri.EscapeDataString(artist.Name)}&limit=50",
            r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("name").GetString() == artist.Name), TimeSpan.FromSeconds(30));
        var item = found.GetProperty("items").EnumerateArray().First(i => i.GetProperty("name").GetString() == artist.Name);
        Assert.NotEmpty(item.GetProperty("styles").EnumerateArray());
    }
}
