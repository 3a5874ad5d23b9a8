using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Features.Removal;

public sealed class AuditRemovalCommandTests : IDisposable
{
    private static readonly TattooDirectory.Core.Domain.Artist Removed = TestArtists.Make("artist-gone01", "Ada Inkwell");

    private readonly TempDirectory _data = new();
    private readonly StringWriter _output = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _output.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_removal_that_left_nothing_behind_prints_no_trace_found_and_exits_0()
    {
        await PrepareAsync(leaveTraces: false);

        Assert.Equal(0, await AuditAsync("rq-audit1"));

        Assert.Contains("No trace found", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_in_the_store_index_and_blobs_are_listed_by_key_and_exit_1()
    {
        await PrepareAsync(leaveTraces: true);

        Assert.Equal(1, await AuditAsync("rq-audit1"));

        var output = _output.ToString();
        Assert.Contains("ARTIST#artist-gone01|PROFILE", output, StringComparison.Ordinal);
        Assert.Contains("artists/artist-gone01/img-gone1.svg", output, StringComparison.Ordinal);
        Assert.Matches(@"Index\s*│\s*artist-gone01", output);
        Assert.Contains("trace(s) found", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Inkwell", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_request_id_says_so_and_exits_2()
    {
        await PrepareAsync(leaveTraces: false);

        Assert.Equal(2, await AuditAsync("rq-missing"));

        Assert.Contains("There is no removal request 'rq-missing'", _output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Writes a completed profile removal (and, if asked, what its purge should have deleted) through the running app, then stops it.</summary>
    private async Task PrepareAsync(bool leaveTraces)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, data: _data);
        var hasher = host.Service<IdentityHasher>();
        var now = DateTimeOffset.UtcNow;
        await PlantAsync(host.Service<ITable>(), Request("rq-audit1", RemovalStatus.Completed, now) with
        {
            ClosedAt = now,
            Purge = new PurgeProgress(PurgeStep.Confirmed, now, now, new PurgeTarget(Removed.ArtistId, null, [], [], hasher.All(Removed))),
        });
        await host.Service<ArtistCatalog>().PutArtistAsync(TestArtists.Make("artist-kept01", "Bea Keeper"), [], Ct);
        if (!leaveTraces) return;

        await host.Service<ArtistCatalog>().PutArtistAsync(Removed, [], Ct);
        using var content = new MemoryStream("<svg/>"u8.ToArray());
        await host.Service<IBlobStore>().PutAsync("artists/artist-gone01/img-gone1.svg", content, "image/svg+xml", cancellationToken: Ct);
        await Eventually.GetJsonAsync(host, "/v1/artists", r => r.GetProperty("items").EnumerateArray().Any(a => a.GetProperty("artistId").GetString() == Removed.ArtistId));
    }

    private Task<int> AuditAsync(string requestId) =>
        CommandRunner.RunAsync(_output, "audit-removal", requestId, $"--Storage:DataDirectory={_data.Path}");
}
