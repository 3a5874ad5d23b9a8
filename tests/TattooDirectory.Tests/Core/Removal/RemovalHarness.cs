using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Core.Caching;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

/// <summary>The removal desk and purge runner over a <see cref="LocalBackendRig"/>, rebuilt after each restart.</summary>
internal sealed class RemovalHarness(LocalBackendRig rig)
{
    public static readonly Studio Parlour = new() { StudioId = "studio-purge1", Name = "Purge Parlour", Address = "2 Lane", City = "Leeds", Postcode = "LS1 2AA", Geo = TestArtists.Leeds };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RecordingInvalidator Caches { get; } = new();

    public RemovalDesk Desk => new(rig.Table, rig.Denylist, rig.Time);

    public PurgeRunner Runner(Func<PurgeStep, CancellationToken, ValueTask>? afterStep = null) =>
        new(rig.Table, rig.BlobStore, rig.Index, rig.Catalog, rig.Denylist, [Caches], rig.Time, NullLogger<PurgeRunner>.Instance)
        {
            AfterStep = afterStep,
            // Fake time runs ahead of the sync here; the bound only has to end a broken test.
            IndexWaitLimit = TimeSpan.FromDays(1),
        };

    /// <summary>Puts an artist with images (items and files) in the parlour and makes it searchable.</summary>
    public async Task<(Artist Artist, IReadOnlyList<PortfolioImage> Images)> AddArtistAsync(string artistId, string name, int images = 3)
    {
        if (await rig.Catalog.GetStudioAsync(Parlour.StudioId, Ct) is null) await rig.Catalog.PutStudioAsync(Parlour, Ct);
        var artist = TestArtists.Make(artistId, name, studioId: Parlour.StudioId);
        var portfolio = Enumerable.Range(1, images).Select(i => TestArtists.Image(artistId, $"img-{artistId[7..]}{i}", i)).ToList();
        foreach (var key in portfolio.SelectMany(i => new[] { i.BlobKey, i.ThumbnailKey }))
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes("<svg/>"));
            await rig.BlobStore.PutAsync(key, content, "image/svg+xml", "public, max-age=31536000, immutable", Ct);
        }
        await rig.Catalog.PutArtistAsync(artist, portfolio, Ct);
        await rig.DrainAsync();
        return (artist, portfolio);
    }

    public Task<RemovalRequest> SubmitAsync(RemovalRequestType type, string? artistId = null, string? handle = null, string? profileUrl = null, IReadOnlyList<string>? imageIds = null) =>
        Desk.SubmitAsync(new RemovalSubmission(type, new RequesterContact("Requester Person", "requester@example.org", "It is me."),
            new RemovalSubject(artistId, handle, profileUrl, imageIds ?? [])), Ct);

    public async Task<RemovalRequest> ApproveAsync(RemovalRequest request)
    {
        var decision = await Desk.ApproveAsync(request.RequestId, "Verified by DM.", Ct);
        Assert.Equal(DecisionOutcome.Done, decision.Outcome);
        return decision.Request!;
    }

    /// <summary>Runs the purge while playing the sync worker: drains the change stream and moves the clock on until it finishes.</summary>
    public async Task<RemovalRequest> PurgeAsync(string requestId, PurgeRunner? runner = null) =>
        (await PurgeAllAsync([requestId], runner))[0];

    /// <summary>Runs several purges at once, as the worker does, while playing the sync worker.</summary>
    public async Task<RemovalRequest[]> PurgeAllAsync(IReadOnlyList<string> requestIds, PurgeRunner? runner = null)
    {
        runner ??= Runner();
        var runs = Task.WhenAll(requestIds.Select(id => runner.RunAsync(id, Ct)));
        while (!runs.IsCompleted)
        {
            await rig.DrainAsync();
            rig.Time.Advance(runner.IndexPollInterval);
            await Task.WhenAny(runs, Task.Delay(2, Ct));
        }
        var done = await runs;
        await rig.DrainAsync();
        return [.. done.Select(r => r!)];
    }

    public async Task<List<OutboxEntry>> OutboxAsync()
    {
        var entries = new List<OutboxEntry>();
        await foreach (var item in rig.Table.ScanAsync(Keys.OutboxPrefix, Ct)) entries.Add(Outbox.Read(item));
        return entries;
    }

    public async Task<(IReadOnlyList<AuditEntry> Entries, bool Verifies)> AuditAsync(string requestId)
    {
        var entries = await AuditTrail.ReadAsync(rig.Table, requestId, Ct);
        var request = await Desk.GetAsync(requestId, Ct);
        return (entries, AuditTrail.Verify(entries, request!.AuditHead));
    }

    /// <summary>Store items outside the removal's own records that mention the text.</summary>
    public async Task<List<Item>> StoreTracesAsync(string text) =>
        [.. (await RemovalTestData.TracesAsync(rig.Store, text)).Where(i => !i.Pk.StartsWith(Keys.RemovalPrefix, StringComparison.Ordinal))];

    public async Task<List<string>> BlobsUnderAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in rig.Blobs.ListAsync(prefix, Ct)) keys.Add(blob.Key);
        return keys;
    }
}

/// <summary>Records invalidations (no response cache exists in the rig; the port's caller is what is tested).</summary>
internal sealed class RecordingInvalidator : IResponseCacheInvalidator
{
    public List<(string[] Artists, string[] Studios)> Calls { get; } = [];

    public Task InvalidateAsync(IReadOnlyCollection<string> artistIds, IReadOnlyCollection<string> studioIds, CancellationToken cancellationToken = default)
    {
        lock (Calls) Calls.Add(([.. artistIds], [.. studioIds]));
        return Task.CompletedTask;
    }
}
