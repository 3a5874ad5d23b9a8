using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Seed;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

/// <summary>Quality bar R5: many removals, then the data source offers everyone again; nobody removed comes back.</summary>
public sealed class RemovalCompletenessTests : IDisposable
{
    private static readonly SeedOptions Dataset = new(Artists: 300, Studios: 30);
    // Random picks, but the same ones every run, so a failure can be reproduced.
    private static readonly Random Picker = new(4711);
    private readonly LocalBackendRig _rig = new();
    private readonly RemovalHarness _removals;

    public RemovalCompletenessTests() => _removals = new RemovalHarness(_rig);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_hundred_random_removals_then_a_reseed_leave_no_trace_of_any_removed_identity()
    {
        await Seeder().SeedAsync(Dataset, cancellationToken: Ct);
        await _rig.DrainAsync();
        var removed = new SeedDataset(Dataset).Artists().Select(a => a.Artist).OrderBy(_ => Picker.Next()).Take(100).ToList();

        var requests = new List<string>();
        for (var i = 0; i < removed.Count; i++)
        {
            // The three ways a requester can name a profile, in turn.
            var artist = removed[i];
            var submitted = (i % 3) switch
            {
                0 => await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, artistId: artist.ArtistId),
                1 => await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "@" + artist.InstagramHandle),
                _ => await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, profileUrl: $"https://tattoo.example/artists/{artist.ArtistId}"),
            };
            Assert.Equal(artist.ArtistId, submitted.MatchedArtistId);
            requests.Add((await _removals.ApproveAsync(submitted)).RequestId);
        }
        Assert.All(await _removals.PurgeAllAsync(requests), r => Assert.Equal(RemovalStatus.Completed, r.Status));

        var reseed = await Seeder().SeedAsync(Dataset, cancellationToken: Ct);
        await _rig.DrainAsync();

        Assert.True(reseed.Skipped >= removed.Count, $"skipped {reseed.Skipped}");
        await AssertNoTraceAsync([.. removed.Select(a => a.ArtistId)]);
    }

    private Seeder Seeder() => new(_rig.Catalog, _rig.BlobStore, _rig.Table, _rig.Sync, _rig.Denylist, _rig.Time, NullLogger<Seeder>.Instance);

    private async Task AssertNoTraceAsync(HashSet<string> removedIds)
    {
        var denied = await _rig.Denylist.SnapshotAsync(Ct);
        var profiles = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in _rig.Store.ScanAsync(Keys.ArtistPrefix, Ct))
        {
            Assert.False(removedIds.Contains(Keys.ArtistIdOf(item.Pk)!), $"{item.Key} belongs to a removed artist");
            if (item.Sk != Keys.Profile) continue;
            profiles.Add(Keys.ArtistIdOf(item.Pk)!);
            Assert.False(denied.IsDenied(ArtistItems.ReadArtist(item)), $"{item.Pk} carries a denied identity");
        }
        Assert.True(profiles.Count >= 150, $"only {profiles.Count} profiles were left");
        await foreach (var item in _rig.Store.ScanAsync(Keys.StudioPrefix, Ct))
        {
            Assert.False(item.Sk.StartsWith(Keys.ArtistPrefix, StringComparison.Ordinal) && removedIds.Contains(item.Sk[Keys.ArtistPrefix.Length..]), $"{item.Key} links a removed artist");
        }
        // The index holds exactly the store's profiles, none of which carries a denied identity.
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (id, _) in _rig.Index.ListAsync(Ct)) indexed.Add(id);
        Assert.True(indexed.SetEquals(profiles), $"index and store differ by {indexed.Count} vs {profiles.Count}");
        await foreach (var blob in _rig.Blobs.ListAsync(ArtistBlobs.Root, Ct))
        {
            Assert.False(removedIds.Contains(ArtistBlobs.ArtistIdOf(blob.Key) ?? ""), $"{blob.Key} belongs to a removed artist");
        }
    }
}
