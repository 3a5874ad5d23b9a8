using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Search;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class PurgeRunnerTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private readonly RemovalHarness _removals;

    public PurgeRunnerTests() => _removals = new RemovalHarness(_rig);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    public static TheoryData<PurgeStep> ProfileSteps => [PurgeStep.Denylisted, PurgeStep.StoreCleared, PurgeStep.BlobsDeleted, PurgeStep.IndexCleared, PurgeStep.CachesInvalidated, PurgeStep.Confirmed];

    public static TheoryData<PurgeStep> ImageSteps => [PurgeStep.StoreCleared, PurgeStep.BlobsDeleted, PurgeStep.IndexCleared, PurgeStep.CachesInvalidated, PurgeStep.Confirmed];

    [Fact]
    public async Task A_profile_removal_leaves_no_trace_in_store_index_or_blobs_and_confirms_once()
    {
        var (artist, _) = await _removals.AddArtistAsync("artist-purge01", "Purged Person");
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "@" + artist.InstagramHandle));

        var done = await _removals.PurgeAsync(request.RequestId);

        Assert.Equal(RemovalStatus.Completed, done.Status);
        await AssertProfileGoneAsync(artist.ArtistId, artist.InstagramHandle!, artist.Name);
        Assert.Contains(_removals.Caches.Calls, c => c.Artists.Contains(artist.ArtistId) && c.Studios.Contains(RemovalHarness.Parlour.StudioId));
        await AssertConfirmedOnceWithAVerifyingAuditAsync(request.RequestId, ["submitted", "approved", "purge:denylisted", "purge:storecleared", "purge:blobsdeleted", "purge:indexcleared", "purge:cachesinvalidated", "purge:confirmed"]);
    }

    [Fact]
    public async Task A_handle_and_studio_changed_between_approval_and_purge_are_denylisted_too()
    {
        var (artist, images) = await _removals.AddArtistAsync("artist-drift1", "Drifting Person");
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, artistId: artist.ArtistId));
        // Allowed until the purge denylists: a re-scrape renamed the handle in the meantime.
        var drifted = artist with { InstagramHandle = "drifted.handle" };
        await _rig.Catalog.PutArtistAsync(drifted, images, Ct);

        await _removals.PurgeAsync(request.RequestId);

        var returning = TestArtists.Make("artist-drift2", "Someone Else") with { InstagramHandle = "drifted.handle" };
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(returning, [], Ct));
    }

    [Fact]
    public async Task An_image_removal_deletes_only_the_named_images_and_leaves_the_artist_listed()
    {
        var (artist, images) = await _removals.AddArtistAsync("artist-images1", "Image Owner");
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ImageRemoval, artistId: artist.ArtistId, imageIds: [images[0].ImageId]));

        await _removals.PurgeAsync(request.RequestId);

        await AssertOnlyFirstImageGoneAsync(artist.ArtistId, images);
        await _rig.Catalog.PutArtistAsync(artist with { Bio = "Still here" }, [], Ct);
        await AssertConfirmedOnceWithAVerifyingAuditAsync(request.RequestId, ["submitted", "approved", "purge:storecleared", "purge:blobsdeleted", "purge:indexcleared", "purge:cachesinvalidated", "purge:confirmed"]);
    }

    [Fact]
    public async Task A_copyright_claim_naming_images_is_an_image_removal_and_without_images_a_profile_removal()
    {
        var (owner, images) = await _removals.AddArtistAsync("artist-copy1", "Copied Owner");
        var (whole, _) = await _removals.AddArtistAsync("artist-copy2", "Whole Copier");

        await _removals.PurgeAsync((await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.Copyright, artistId: owner.ArtistId, imageIds: [images[0].ImageId]))).RequestId);
        await _removals.PurgeAsync((await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.Copyright, artistId: whole.ArtistId))).RequestId);

        await AssertOnlyFirstImageGoneAsync(owner.ArtistId, images);
        await AssertProfileGoneAsync(whole.ArtistId, whole.InstagramHandle!, whole.Name);
    }

    [Theory]
    [MemberData(nameof(ProfileSteps))]
    public async Task A_profile_purge_stopped_after_any_step_resumes_after_a_restart_to_the_same_end_state(PurgeStep crashAfter)
    {
        var (artist, _) = await _removals.AddArtistAsync("artist-crash01", "Crashing Person");
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, artistId: artist.ArtistId));

        await CrashAfterAsync(request.RequestId, crashAfter);
        _rig.Restart();
        var done = await _removals.PurgeAsync(request.RequestId);

        Assert.Equal(RemovalStatus.Completed, done.Status);
        await AssertProfileGoneAsync(artist.ArtistId, artist.InstagramHandle!, artist.Name);
        await AssertConfirmedOnceWithAVerifyingAuditAsync(request.RequestId, ["submitted", "approved", "purge:denylisted", "purge:storecleared", "purge:blobsdeleted", "purge:indexcleared", "purge:cachesinvalidated", "purge:confirmed"]);
    }

    [Theory]
    [MemberData(nameof(ImageSteps))]
    public async Task An_image_purge_stopped_after_any_step_resumes_after_a_restart_to_the_same_end_state(PurgeStep crashAfter)
    {
        var (artist, images) = await _removals.AddArtistAsync("artist-crash02", "Crashing Images");
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ImageRemoval, artistId: artist.ArtistId, imageIds: [images[0].ImageId]));

        await CrashAfterAsync(request.RequestId, crashAfter);
        _rig.Restart();
        await _removals.PurgeAsync(request.RequestId);

        await AssertOnlyFirstImageGoneAsync(artist.ArtistId, images);
        await AssertConfirmedOnceWithAVerifyingAuditAsync(request.RequestId, ["submitted", "approved", "purge:storecleared", "purge:blobsdeleted", "purge:indexcleared", "purge:cachesinvalidated", "purge:confirmed"]);
    }

    [Fact]
    public async Task A_request_whose_profile_never_matched_still_denylists_the_supplied_identity()
    {
        var request = await _removals.ApproveAsync(await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "@Ghost.Artist", profileUrl: "https://tattoo.example/artists/artist-ghost01"));

        var done = await _removals.PurgeAsync(request.RequestId);

        Assert.Equal(RemovalStatus.Completed, done.Status);
        Assert.True(await _rig.Denylist.IsHandleDeniedAsync("ghost.artist", Ct));
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-ghost01", "Ghost"), [], Ct));
        await Assert.ThrowsAsync<IdentityDeniedException>(() => _rig.Catalog.PutArtistAsync(TestArtists.Make("artist-ghost02", "Ghost") with { InstagramHandle = "ghost.artist" }, [], Ct));
    }

    [Fact]
    public async Task Running_a_request_that_is_not_approved_changes_nothing()
    {
        var pending = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "someone");

        var left = await _removals.Runner().RunAsync(pending.RequestId, Ct);

        Assert.Equal(RemovalStatus.Pending, left!.Status);
        Assert.Null(await _removals.Runner().RunAsync("rem-00000000000000000000", Ct));
    }

    private async Task CrashAfterAsync(string requestId, PurgeStep crashAfter)
    {
        var runner = _removals.Runner((step, _) => step == crashAfter ? throw new SimulatedCrashException() : ValueTask.CompletedTask);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => _removals.PurgeAsync(requestId, runner));
    }

    private async Task AssertProfileGoneAsync(string artistId, string handle, string name)
    {
        await _rig.DrainAsync();
        Assert.Empty(await _removals.StoreTracesAsync(artistId));
        Assert.Empty(await _removals.StoreTracesAsync(handle));
        Assert.Empty(await _removals.StoreTracesAsync(name));
        Assert.Empty(await _removals.BlobsUnderAsync(ArtistBlobs.Prefix(artistId)));
        Assert.Empty((await _rig.SearchAsync(name)).Hits);
        Assert.DoesNotContain(artistId, await ListIndexAsync());
    }

    private async Task AssertOnlyFirstImageGoneAsync(string artistId, IReadOnlyList<TattooDirectory.Core.Domain.PortfolioImage> images)
    {
        await _rig.DrainAsync();
        var profile = await _rig.Catalog.GetArtistAsync(artistId, Ct);
        Assert.Equal(images.Skip(1).Select(i => i.ImageId), profile!.Images.Select(i => i.ImageId));
        var remaining = await _removals.BlobsUnderAsync(ArtistBlobs.Prefix(artistId));
        Assert.DoesNotContain(images[0].BlobKey, remaining);
        Assert.DoesNotContain(images[0].ThumbnailKey, remaining);
        Assert.Equal(2 * (images.Count - 1), remaining.Count);
        var hit = Assert.Single((await _rig.Index.SearchAsync(new SearchRequest { StudioId = RemovalHarness.Parlour.StudioId, Limit = 50 }, Ct)).Hits, h => h.Document.ArtistId == artistId);
        Assert.Equal(profile.Version, hit.Document.Version);
        Assert.DoesNotContain(_rig.Blobs.GetPublicUrl(images[0].ThumbnailKey), hit.Document.Thumbnails);
    }

    private async Task AssertConfirmedOnceWithAVerifyingAuditAsync(string requestId, string[] events)
    {
        var confirmations = (await _removals.OutboxAsync()).Where(e => e.Topic == Topics.RemovalConfirmations).ToList();
        var confirmation = Assert.Single(confirmations);
        Assert.Equal($"{requestId}:confirmed", confirmation.MessageId);
        Assert.Equal("requester@example.org", confirmation.Message.Attributes![RemovalMessages.EmailAttribute]);
        Assert.DoesNotContain("requester@example.org", confirmation.Message.Subject, StringComparison.Ordinal);
        var (entries, verifies) = await _removals.AuditAsync(requestId);
        Assert.True(verifies);
        Assert.Equal(events, entries.Select(e => e.Event));
    }

    private async Task<List<string>> ListIndexAsync()
    {
        var ids = new List<string>();
        await foreach (var (id, _) in _rig.Index.ListAsync(Ct)) ids.Add(id);
        return ids;
    }

    private sealed class SimulatedCrashException : Exception;
}
