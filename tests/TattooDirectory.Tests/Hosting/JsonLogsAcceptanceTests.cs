using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Seed;
using TattooDirectory.Tests.Features.Aggregation.Run;
using TattooDirectory.Tests.Features.Removal;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Hosting;

/// <summary>
/// Issue 6's log acceptance: seeding, searches, an aggregation run against the demo web and a
/// removal, with every line the console would print captured (<see cref="ConsoleLines"/>).
/// </summary>
public sealed class JsonLogsAcceptanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Every_line_of_a_busy_session_is_json_with_its_request_or_trace_id_and_names_nobody()
    {
        // The slow page answers at once on the system clock: the point here is the logs, not the timeouts.
        await using var web = await DemoWebServer.StartAsync(new DemoWebOptions { Studios = 6, SlowResponseDelay = TimeSpan.Zero }, cancellationToken: Ct);
        var settings = new Dictionary<string, string>(AggregationAdminApiTests.Settings(web))
        {
            ["Admin:Token"] = RemovalApi.Token,
            ["Logging:LogLevel:Default"] = "Information",
            // Request lines too: their URLs carry what visitors searched for.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        };
        var console = new ConsoleLines();
        var personal = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Requesting Human", "human.requester@example.org" };
        foreach (var artist in web.Manifest.Sites.SelectMany(s => s.Artists)) personal.UnionWith([artist.Name, artist.InstagramHandle]);

        await using (var host = await DirectoryHost.StartAsync(seed: false, settings: settings, configure: console.AddTo))
        {
            host.Client.DefaultRequestHeaders.Authorization = new("Bearer", RemovalApi.Token);
            var seeder = host.Service<Seeder>();
            await seeder.SeedAsync(new SeedOptions(Artists: 40, Studios: 8), writeBlobs: true, cancellationToken: Ct);
            var seeded = await SeededArtistsAsync(host);
            foreach (var artist in seeded) personal.UnionWith([artist.Name, artist.InstagramHandle ?? ""]);

            await StartRunAsync(host, [.. web.Manifest.Sites.Select(s => s.City).Distinct()]);
            foreach (var artist in seeded.Take(3))
            {
                await host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(artist.Name)}&limit=5");
                await host.GetJsonAsync($"/v1/artists?query=@{Uri.EscapeDataString(artist.InstagramHandle!)}");
                using var page = await host.Client.GetAsync($"/artists/{artist.ArtistId}", Ct);
            }
            await RemoveAsync(host, seeded[^1]);
            // The run itself then waits 30 s for the queue to drain and reports counts only: every
            // scraped name has passed through the logs once each job has been tried.
            await EveryScrapeJobTriedAsync(console);
        }
        var lines = console.All.Select(Parse).ToList();
        Assert.Contains(lines, l => l.Category.StartsWith("TattooDirectory.Features.Aggregation.Scraping", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category.Contains("Purge", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Scopes.ContainsKey("RequestId")), l => Assert.True(l.Scopes.ContainsKey("TraceId"), l.Text));
        Assert.All(lines.Where(l => InBackgroundUnitOfWork(l.Category)), l => Assert.True(l.Scopes.ContainsKey("TraceId"), l.Text));
        var named = personal.Where(p => p.Length >= 5).ToList();
        var leak = lines.SelectMany(l => named.Where(p => l.Strings.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => (Text: p, Line: l.Text))).FirstOrDefault();
        Assert.True(leak == default, $"'{leak.Text}' was logged: {leak.Line}");
    }

    /// <summary>Categories whose every line is written inside a unit of work (a pass, a job, an execution, a purge).</summary>
    private static bool InBackgroundUnitOfWork(string category) =>
        category.StartsWith("TattooDirectory.Features.Aggregation", StringComparison.Ordinal)
        || category.StartsWith("TattooDirectory.Backends.Local.Workflow", StringComparison.Ordinal)
        || category.Contains("Purge", StringComparison.Ordinal)
        || category.EndsWith("Dispatcher", StringComparison.Ordinal)
        || category.EndsWith("LogDeliverer", StringComparison.Ordinal);

    private static async Task EveryScrapeJobTriedAsync(ConsoleLines console)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var lines = console.All.Select(Parse).ToList();
            var sent = lines.Where(l => l.Category.EndsWith(".QueueScrapingTask", StringComparison.Ordinal)).Sum(l => l.State.TryGetProperty("Sent", out var n) ? n.GetInt32() : 0);
            if (sent > 0 && lines.Count(l => l.Category.EndsWith(".ArtistScraper", StringComparison.Ordinal)) >= sent) return;
            await Task.Delay(TimeSpan.FromMilliseconds(200), cts.Token);
        }
    }

    private static async Task<List<Artist>> SeededArtistsAsync(DirectoryHost host)
    {
        var artists = new List<Artist>();
        await foreach (var item in host.Service<ITable>().ScanAsync(Keys.ArtistPrefix, Ct))
        {
            if (item.Sk == Keys.Profile) artists.Add(ArtistItems.ReadArtist(item));
        }
        Assert.NotEmpty(artists);
        return [.. artists.Where(a => a.InstagramHandle is { Length: > 0 }).OrderBy(a => a.ArtistId, StringComparer.Ordinal)];
    }

    private static async Task StartRunAsync(DirectoryHost host, string[] cities)
    {
        using var started = await host.Client.PostAsJsonAsync("/v1/admin/aggregation-runs", new { cities }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
    }

    private static async Task RemoveAsync(DirectoryHost host, Artist artist)
    {
        var requestId = await RemovalApi.SubmitAcceptedAsync(host, new
        {
            fullName = "Requesting Human",
            email = "human.requester@example.org",
            artistId = artist.ArtistId,
            requestType = "profile-removal",
            details = $"I am {artist.Name}, @{artist.InstagramHandle} on Instagram.",
        });
        using (var approve = await RemovalApi.AdminAsync(host, HttpMethod.Post, $"/{requestId}/approve", new { note = "Verified via Instagram DM." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }
        await Eventually.GetJsonAsync(host, $"/v1/admin/removal-requests/{requestId}", d => d.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30));
    }

    private static LogLine Parse(string text)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var scopes = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (root.TryGetProperty("Scopes", out var list))
        {
            foreach (var property in list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).SelectMany(s => s.EnumerateObject()))
            {
                scopes[property.Name] = property.Value.ToString();
            }
        }
        var state = root.TryGetProperty("State", out var values) ? values.Clone() : default;
        return new LogLine(text, root.GetProperty("Category").GetString()!, state, scopes, string.Join('\n', Strings(root)));
    }

    /// <summary>Every string in the line, unescaped (the writer escapes apostrophes and accents).</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private sealed record LogLine(string Text, string Category, JsonElement State, IReadOnlyDictionary<string, string?> Scopes, string Strings);
}
