using System.Net;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

/// <summary>
/// Issue 4's end-to-end acceptance on the seeded directory, through HTTP and the command line only:
/// submit → operator notified → approve → profile, search, facets and images gone, confirmation in
/// the mailbox, audit-removal clean; then a reseed must not bring the artist back.
/// </summary>
public sealed class RemovalAcceptanceTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly StringWriter _console = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _console.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_removal_submitted_and_approved_over_http_leaves_no_trace_and_survives_a_reseed()
    {
        string requestId, artistId, name;
        await using (var host = await DirectoryHost.StartAsync(seed: true, settings: RemovalApi.Settings(), data: _data))
        {
            host.Client.DefaultRequestHeaders.Authorization = new("Bearer", RemovalApi.Token);
            var before = await host.GetJsonAsync("/v1/artists?location=Leeds&limit=1");
            var victim = before.GetProperty("items")[0];
            artistId = victim.GetProperty("artistId").GetString()!;
            name = victim.GetProperty("name").GetString()!;
            var profile = await host.GetJsonAsync($"/v1/artists/{artistId}");
            var imageUrls = profile.GetProperty("portfolioImages").EnumerateArray()
                .SelectMany(i => new[] { i.GetProperty("url").GetString()!, i.GetProperty("thumbnailUrl").GetString()! }).ToList();
            Assert.NotEmpty(imageUrls);
            var stylesBefore = StyleCounts(before);

            requestId = await RemovalApi.SubmitAcceptedAsync(host, new
            {
                fullName = "Requesting Artist",
                email = "artist.requester@example.org",
                instagramHandle = "@" + victim.GetProperty("instagramHandle").GetString(),
                requestType = "profile-removal",
                details = "It's me; please take my profile down.",
            });

            var notified = await Eventually.GetJsonAsync(host, "/v1/admin/notifications/mailbox?topic=removal-requests",
                m => Messages(m).Any(s => s.Subject.Contains(requestId, StringComparison.Ordinal)));
            Assert.Single(Messages(notified), s => s.Subject.Contains(requestId, StringComparison.Ordinal));

            using (var approve = await RemovalApi.AdminAsync(host, HttpMethod.Post, $"/{requestId}/approve", new { note = "Verified from the Instagram account." }))
            {
                Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
            }
            await Eventually.GetJsonAsync(host, $"/v1/admin/removal-requests/{requestId}", d => d.GetProperty("status").GetString() == "completed");

            using (var gone = await host.Client.GetAsync($"/v1/artists/{artistId}", Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            using (var page = await host.Client.GetAsync($"/artists/{artistId}", Ct)) Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            foreach (var url in imageUrls)
            {
                using var image = await host.Client.GetAsync(url, Ct);
                Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
            }
            var after = await host.GetJsonAsync("/v1/artists?location=Leeds&limit=50");
            Assert.Equal(before.GetProperty("total").GetInt32() - 1, after.GetProperty("total").GetInt32());
            var stylesAfter = StyleCounts(after);
            foreach (var style in profile.GetProperty("styles").EnumerateArray().Select(s => s.GetProperty("id").GetString()!))
            {
                Assert.Equal(stylesBefore[style] - 1, stylesAfter.GetValueOrDefault(style));
            }
            Assert.DoesNotContain(artistId, (await host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(name)}&limit=50")).ToString(), StringComparison.Ordinal);

            var confirmations = await Eventually.GetJsonAsync(host, "/v1/admin/notifications/mailbox?topic=removal-confirmations",
                m => Messages(m).Any(s => s.Attributes.Contains(requestId, StringComparison.Ordinal)));
            var confirmation = Assert.Single(Messages(confirmations), s => s.Attributes.Contains(requestId, StringComparison.Ordinal));
            Assert.Contains("artist.requester@example.org", confirmation.Attributes, StringComparison.Ordinal);
        }

        await RunCleanAsync("audit-removal", requestId);
        Assert.Contains("No trace found", _console.ToString(), StringComparison.Ordinal);

        // The same deterministic dataset again: the removed identity must be refused, the rest restored.
        await RunCleanAsync("seed");
        await RunCleanAsync("audit-removal", requestId);
        await using var reseeded = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(), data: _data);
        using var stillGone = await reseeded.Client.GetAsync($"/v1/artists/{artistId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stillGone.StatusCode);
    }

    private static Dictionary<string, int> StyleCounts(JsonElement search) =>
        search.GetProperty("facets").GetProperty("styles").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("count").GetInt32());

    private static IEnumerable<(string Subject, string Attributes)> Messages(JsonElement mailbox) =>
        mailbox.GetProperty("items").EnumerateArray().Select(m => (m.GetProperty("subject").GetString()!, m.TryGetProperty("attributes", out var a) ? a.ToString() : ""));

    /// <summary>Runs a command on the data directory; when it exits non-zero, the failure shows what it printed (the audit's report, or the exception).</summary>
    private async Task RunCleanAsync(params string[] args)
    {
        var exit = await CommandRunner.RunAsync(_console, [.. args, $"--Storage:DataDirectory={_data.Path}"]);
        Assert.True(exit == 0, $"'{string.Join(' ', args)}' exited {exit}:\n{_console}");
    }
}
