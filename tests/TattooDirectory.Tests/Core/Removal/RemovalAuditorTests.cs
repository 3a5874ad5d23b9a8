using System.Text;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Search;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class RemovalAuditorTests : IDisposable
{
    private const string Studio = "studio-leeds1";

    private static readonly Artist Removed = TestArtists.Make("artist-gone01", "Ada Inkwell", studioId: Studio);
    private static readonly Artist Kept = TestArtists.Make("artist-kept01", "Bea Keeper", studioId: Studio);

    private readonly LocalBackendRig _rig = new();
    private readonly IdentityHasher _hasher = new(Encoding.UTF8.GetBytes("a test denylist key of 32+ bytes!"));
    private readonly RemovalAuditor _auditor;

    public RemovalAuditorTests() => _auditor = new RemovalAuditor(_rig.Store, _rig.Index, _rig.Blobs, _hasher);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_completed_profile_removal_that_left_nothing_behind_is_clean()
    {
        await PlantKeptArtistAsync();
        await PlantCompletedProfileRemovalAsync("rq-clean1");

        var audit = await _auditor.ScanAsync("rq-clean1", Ct);

        Assert.True(audit.Clean);
        Assert.Empty(audit.Notes);
        Assert.Equal(1, audit.Coverage.IndexDocuments);
        Assert.Equal(2, audit.Coverage.Blobs);
        Assert.True(audit.Coverage.StoreItems >= 4);
    }

    [Fact]
    public async Task A_profile_left_in_the_store_is_found_in_every_item_and_named_by_key_only()
    {
        await PlantKeptArtistAsync();
        await PlantCompletedProfileRemovalAsync("rq-store1");
        await _rig.Catalog.PutArtistAsync(Removed, [TestArtists.Image(Removed.ArtistId, "img-gone1")], Ct);

        var audit = await _auditor.ScanAsync("rq-store1", Ct);

        Assert.Equal(
            [
                new RemovalTrace(TraceLocation.Store, "ARTIST#artist-gone01|IMAGE#img-gone1", "artist id"),
                new RemovalTrace(TraceLocation.Store, "ARTIST#artist-gone01|PROFILE", "artist id, instagram handle, name + studio"),
                new RemovalTrace(TraceLocation.Store, "ARTIST#artist-gone01|STYLE#blackwork", "artist id"),
                new RemovalTrace(TraceLocation.Store, "STUDIO#studio-leeds1|ARTIST#artist-gone01", "artist id"),
            ],
            audit.Traces);
        AssertNamesNobody(audit);
    }

    [Fact]
    public async Task The_same_person_re_added_under_a_new_id_is_found_by_handle_and_by_name_at_studio()
    {
        await PlantCompletedProfileRemovalAsync("rq-again1");
        await _rig.Catalog.PutArtistAsync(Removed with { ArtistId = "artist-again01", Name = "ADA  Inkwell" }, [], Ct);

        var trace = Assert.Single((await _auditor.ScanAsync("rq-again1", Ct)).Traces);

        Assert.Equal(new RemovalTrace(TraceLocation.Store, "ARTIST#artist-again01|PROFILE", "instagram handle, name + studio"), trace);
    }

    [Fact]
    public async Task A_document_left_in_the_index_is_found_until_it_is_deleted()
    {
        await PlantCompletedProfileRemovalAsync("rq-index1");
        var document = _rig.Catalog.ToDocument(Removed, null, [], version: 4);
        await _rig.Index.ApplyAsync([new IndexOperation.Upsert(document with { OptedOut = true })], Ct);
        await _rig.Index.RefreshAsync(Ct);

        var trace = Assert.Single((await _auditor.ScanAsync("rq-index1", Ct)).Traces);
        Assert.Equal(new RemovalTrace(TraceLocation.Index, "artist-gone01", "artist id, instagram handle, name + studio"), trace);

        await _rig.Index.ApplyAsync([new IndexOperation.Delete(Removed.ArtistId, 5)], Ct);
        await _rig.Index.RefreshAsync(Ct);
        Assert.True((await _auditor.ScanAsync("rq-index1", Ct)).Clean);
    }

    [Fact]
    public async Task Files_left_under_the_artists_blob_prefix_are_found_until_they_are_deleted()
    {
        await PlantCompletedProfileRemovalAsync("rq-blobs1");
        await PutBlobAsync("artists/artist-gone01/img-gone1.svg");

        var trace = Assert.Single((await _auditor.ScanAsync("rq-blobs1", Ct)).Traces);
        Assert.Equal(new RemovalTrace(TraceLocation.Blobs, "artists/artist-gone01/img-gone1.svg", "artist id"), trace);

        await _rig.Blobs.DeleteAsync("artists/artist-gone01/img-gone1.svg", Ct);
        Assert.True((await _auditor.ScanAsync("rq-blobs1", Ct)).Clean);
    }

    [Fact]
    public async Task The_audit_still_matches_after_the_contact_data_is_deleted()
    {
        await PlantCompletedProfileRemovalAsync("rq-late1");
        _rig.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(1, await new ContactRetention(_rig.Store, _rig.Time).RunAsync(Ct));
        await _rig.Catalog.PutArtistAsync(Removed with { StudioId = null }, [], Ct);

        var audit = await _auditor.ScanAsync("rq-late1", Ct);

        Assert.Equal(
            [("ARTIST#artist-gone01|PROFILE", "artist id, instagram handle"), ("ARTIST#artist-gone01|STYLE#blackwork", "artist id")],
            audit.Traces.Select(t => (t.Key, t.MatchedBy)));
    }

    [Fact]
    public async Task An_audit_with_another_denylist_key_warns_that_an_empty_result_proves_nothing()
    {
        await PlantCompletedProfileRemovalAsync("rq-key1");
        var otherKey = new IdentityHasher(Encoding.UTF8.GetBytes("some other key, also 32+ bytes long"));

        var audit = await new RemovalAuditor(_rig.Store, _rig.Index, _rig.Blobs, otherKey).ScanAsync("rq-key1", Ct);

        Assert.Contains("denylist key differs", Assert.Single(audit.Notes), StringComparison.Ordinal);
        Assert.Empty((await _auditor.ScanAsync("rq-key1", Ct)).Notes);
    }

    [Fact]
    public async Task An_unknown_request_is_reported_as_unknown()
    {
        var error = await Assert.ThrowsAsync<RemovalRequestNotFoundException>(() => _auditor.ScanAsync("rq-nobody", Ct));

        Assert.Equal("rq-nobody", error.RequestId);
    }

    [Fact]
    public async Task A_pending_request_is_still_scanned_and_said_to_be_unfinished()
    {
        await _rig.Catalog.PutArtistAsync(Removed, [], Ct);
        await PlantAsync(_rig.Store, Request("rq-pending1", RemovalStatus.Pending, _rig.Time.GetUtcNow()) with
        {
            MatchedArtistId = Removed.ArtistId,
            Subject = new RemovalSubject(null, "@INK_GONE01", null, []),
        });

        var audit = await _auditor.ScanAsync("rq-pending1", Ct);

        Assert.Contains(new RemovalTrace(TraceLocation.Store, "ARTIST#artist-gone01|PROFILE", "artist id, instagram handle, name + studio"), audit.Traces);
        Assert.Contains(audit.Notes, n => n.Contains("pending, not completed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_image_removal_finds_the_named_images_item_files_and_thumbnail_and_ignores_the_others()
    {
        var named = TestArtists.Image(Kept.ArtistId, "img-named1", position: 0);
        var other = TestArtists.Image(Kept.ArtistId, "img-other1", position: 1);
        await _rig.Catalog.PutArtistAsync(Kept, [named, other], Ct);
        foreach (var key in new[] { named.BlobKey, named.ThumbnailKey, other.BlobKey, other.ThumbnailKey }) await PutBlobAsync(key);
        await _rig.DrainAsync();
        await PlantCompletedImageRemovalAsync("rq-image1", named);

        var audit = await _auditor.ScanAsync("rq-image1", Ct);

        Assert.Equal(
            [
                new RemovalTrace(TraceLocation.Store, "ARTIST#artist-kept01|IMAGE#img-named1", "named image"),
                new RemovalTrace(TraceLocation.Blobs, named.ThumbnailKey, "named image"),
                new RemovalTrace(TraceLocation.Blobs, named.BlobKey, "named image"),
                new RemovalTrace(TraceLocation.Index, Kept.ArtistId, "named image"),
            ],
            audit.Traces);

        await _rig.Catalog.PutArtistAsync(Kept, [other], Ct);
        await _rig.Blobs.DeleteAsync(named.BlobKey, Ct);
        await _rig.Blobs.DeleteAsync(named.ThumbnailKey, Ct);
        await _rig.DrainAsync();
        Assert.True((await _auditor.ScanAsync("rq-image1", Ct)).Clean);
    }

    [Fact]
    public async Task An_image_removal_whose_image_ids_were_deleted_says_there_is_nothing_left_to_look_for()
    {
        var named = TestArtists.Image(Kept.ArtistId, "img-named1");
        await PlantCompletedImageRemovalAsync("rq-forgotten1", named);
        _rig.Time.Advance(TimeSpan.FromDays(31));
        await new ContactRetention(_rig.Store, _rig.Time).RunAsync(Ct);

        var audit = await _auditor.ScanAsync("rq-forgotten1", Ct);

        Assert.True(audit.Clean);
        Assert.Contains(audit.Notes, n => n.Contains("forgotten with the contact data", StringComparison.Ordinal));
    }

    private async Task PlantKeptArtistAsync()
    {
        var image = TestArtists.Image(Kept.ArtistId, "img-kept1");
        await _rig.Catalog.PutArtistAsync(Kept, [image], Ct);
        await PutBlobAsync(image.BlobKey);
        await PutBlobAsync(image.ThumbnailKey);
        await _rig.DrainAsync();
    }

    private async Task PlantCompletedProfileRemovalAsync(string requestId)
    {
        var now = _rig.Time.GetUtcNow();
        await PlantAsync(_rig.Store, Request(requestId, RemovalStatus.Completed, now) with
        {
            ClosedAt = now,
            MatchedArtistId = Removed.ArtistId,
            Purge = new PurgeProgress(PurgeStep.Confirmed, now, now, new PurgeTarget(Removed.ArtistId, Studio, [], [], _hasher.All(Removed))),
        });
    }

    private async Task PlantCompletedImageRemovalAsync(string requestId, PortfolioImage image)
    {
        var now = _rig.Time.GetUtcNow();
        await PlantAsync(_rig.Store, Request(requestId, RemovalStatus.Completed, now, RemovalRequestType.ImageRemoval) with
        {
            ClosedAt = now,
            MatchedArtistId = image.ArtistId,
            Purge = new PurgeProgress(PurgeStep.Confirmed, now, now, new PurgeTarget(image.ArtistId, Studio, [image.ImageId], [image.BlobKey, image.ThumbnailKey], [])),
        });
    }

    private async Task PutBlobAsync(string key)
    {
        using var content = new MemoryStream("<svg/>"u8.ToArray());
        await _rig.Blobs.PutAsync(key, content, "image/svg+xml", "public, max-age=31536000, immutable", Ct);
    }

    private static void AssertNamesNobody(RemovalAudit audit)
    {
        var text = string.Join('\n', audit.Traces.Select(t => $"{t.Location} {t.Key} {t.MatchedBy}").Concat(audit.Notes));
        Assert.DoesNotContain(Removed.Name, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Removed.InstagramHandle!, text, StringComparison.OrdinalIgnoreCase);
    }
}
