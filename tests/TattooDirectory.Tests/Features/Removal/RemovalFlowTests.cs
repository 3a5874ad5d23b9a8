using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Removal;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

public sealed class RemovalFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_approved_removal_takes_the_profile_out_of_profile_search_facets_and_images_and_logs_nothing_personal()
    {
        var settings = new Dictionary<string, string>(RemovalApi.Settings()) { ["Logging:LogLevel:Default"] = "Information" };
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);
        var removed = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-flowgone1", "Vanishing Person", studioId: RemovalArtists.Parlour.StudioId));
        var kept = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-flowkept1", "Staying Person", studioId: RemovalArtists.Parlour.StudioId));
        await Eventually.GetJsonAsync(host, "/v1/artists?styles=blackwork", j => j.GetProperty("total").GetInt32() == 2);
        var imageUrl = host.Service<IBlobStore>().GetPublicUrl(removed.Images[0].BlobKey);
        using (var before = await host.Client.GetAsync(imageUrl, Ct)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var requestId = await RemovalApi.SubmitAcceptedAsync(host, new
        {
            fullName = "Requesting Human",
            email = "human.requester@example.org",
            profileUrl = new Uri(host.Client.BaseAddress!, $"/artists/{removed.Artist.ArtistId}").ToString(),
            requestType = "profile-removal",
        });
        using (var approve = await RemovalApi.AdminAsync(host, HttpMethod.Post, $"/{requestId}/approve", new { note = "Verified via Instagram DM." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }
        // The operator's token rides on every call from here; public routes ignore it.
        host.Client.DefaultRequestHeaders.Authorization = new("Bearer", RemovalApi.Token);
        var detail = await Eventually.GetJsonAsync(host, $"/v1/admin/removal-requests/{requestId}", d => d.GetProperty("status").GetString() == "completed");

        Assert.Equal("confirmed", detail.GetProperty("purge").GetProperty("step").GetString());
        Assert.True(detail.GetProperty("auditVerifies").GetBoolean());
        using (var profile = await host.Client.GetAsync($"/v1/artists/{removed.Artist.ArtistId}", Ct)) Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
        using (var image = await host.Client.GetAsync(imageUrl, Ct)) Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        var search = await host.GetJsonAsync("/v1/artists?styles=blackwork");
        Assert.Equal([kept.Artist.ArtistId], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()));
        Assert.Equal(1, Facet(search, "cities", "name", "Leeds"));
        Assert.Equal(1, Facet(search, "styles", "id", "blackwork"));
        Assert.Equal(0, (await host.GetJsonAsync("/v1/artists?query=vanishing")).GetProperty("total").GetInt32());
        var studio = await host.GetJsonAsync($"/v1/studios/{RemovalArtists.Parlour.StudioId}");
        Assert.DoesNotContain(removed.Artist.ArtistId, studio.ToString(), StringComparison.Ordinal);

        var logged = string.Join('\n', host.Logs.All.Select(l => string.Join(' ', [l.Message, .. l.Values])));
        Assert.Contains(requestId, logged, StringComparison.Ordinal);
        foreach (var personal in new[] { "Vanishing Person", removed.Artist.InstagramHandle!, "Requesting Human", "human.requester@example.org" })
        {
            Assert.DoesNotContain(personal, logged, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_purge_approved_before_a_restart_is_resumed_by_the_worker_on_start()
    {
        using var data = new TempDirectory();
        string requestId;
        await using (var before = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(), data: data))
        {
            var removed = await RemovalArtists.AddAsync(before, TestArtists.Make("artist-resume1", "Resumed Person", studioId: RemovalArtists.Parlour.StudioId));
            requestId = await RemovalApi.SubmitAcceptedAsync(before, RemovalApi.ValidBody(removed.Artist.ArtistId));
            // Approved behind the API's back, so nothing signals the worker: only a restart can start it.
            var desk = before.Service<TattooDirectory.Core.Removal.RemovalDesk>();
            Assert.Equal(TattooDirectory.Core.Removal.DecisionOutcome.Done, (await desk.ApproveAsync(requestId, "ok", Ct)).Outcome);
        }

        await using var after = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(), data: data);
        after.Client.DefaultRequestHeaders.Authorization = new("Bearer", RemovalApi.Token);
        await Eventually.GetJsonAsync(after, $"/v1/admin/removal-requests/{requestId}", d => d.GetProperty("status").GetString() == "completed");

        using var profile = await after.Client.GetAsync("/v1/artists/artist-resume1", Ct);
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    [Fact]
    public async Task An_approval_no_signal_reaches_is_purged_on_the_workers_next_look_at_the_store()
    {
        // As on AWS, where the operator approves in the API function and the purge runs in the
        // workers' container: the approval is in the store, and nothing tells this process.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(), configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var removed = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-rescan1", "Rescanned Person", studioId: RemovalArtists.Parlour.StudioId));
        var requestId = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody(removed.Artist.ArtistId));
        var desk = host.Service<RemovalDesk>();
        Assert.Equal(DecisionOutcome.Done, (await desk.ApproveAsync(requestId, "ok", Ct)).Outcome);

        time.Advance(PurgeWorker.RescanEvery - TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        Assert.Equal(RemovalStatus.Approved, (await desk.GetAsync(requestId, Ct))!.Status);

        time.Advance(TimeSpan.FromSeconds(1));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while ((await desk.GetAsync(requestId, Ct))!.Status != RemovalStatus.Completed)
        {
            Assert.False(timeout.IsCancellationRequested, "The approved purge never ran.");
            // The purge's index step polls on the app's clock: move it along in small steps.
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }

        using var profile = await host.Client.GetAsync($"/v1/artists/{removed.Artist.ArtistId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    [Fact]
    public async Task Submissions_beyond_the_hourly_limit_get_429_with_retry_after()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(perHour: 2));

        await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody());
        await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody());
        using var limited = await RemovalApi.SubmitAsync(host, RemovalApi.ValidBody());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    private static int Facet(JsonElement search, string facet, string key, string value) =>
        search.GetProperty("facets").GetProperty(facet).EnumerateArray().Single(f => f.GetProperty(key).GetString() == value).GetProperty("count").GetInt32();
}
