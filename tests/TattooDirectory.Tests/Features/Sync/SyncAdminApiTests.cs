using System.Net;
using System.Net.Http.Headers;
using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.Sync;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Sync;

public sealed class SyncAdminApiTests
{
    private const string Token = "operator-token-for-tests-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Basic abc", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong-token-wrong-token", HttpStatusCode.Forbidden)]
    [InlineData("Bearer " + Token, HttpStatusCode.OK)]
    public async Task Admin_routes_need_the_operator_token(string? authorization, HttpStatusCode expected)
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = Token });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/sync");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await host.Client.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_a_configured_token_admin_routes_refuse_everyone()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/reindex");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything-at-all-1234");
        using var response = await host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_poison_change_is_dead_lettered_after_three_attempts_while_the_changes_after_it_become_searchable()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = Token });
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var catalog = host.Service<ArtistCatalog>();
        // Written past the catalog (and its denylist guard), as a bad migration or a foreign writer would.
        await host.Service<LocalStores>().Store.PutAsync(new Item { Pk = Keys.ArtistPk("artist-poison2"), Sk = Keys.Profile, Data = "{ not json" }, cancellationToken: Ct);
        await catalog.PutArtistAsync(TestArtists.Make("artist-behind01", "Quill Behindpoison"), [], Ct);

        var status = await Eventually.GetJsonAsync(host, "/v1/admin/sync", s => s.GetProperty("behind").GetInt64() == 0 && s.GetProperty("deadLetters").GetArrayLength() > 0);
        var letter = Assert.Single(status.GetProperty("deadLetters").EnumerateArray());
        Assert.Equal(("artist-poison2", IndexSync.MaxAttempts), (letter.GetProperty("artistId").GetString(), letter.GetProperty("attempts").GetInt32()));
        Assert.Equal(1, (await host.GetJsonAsync("/v1/artists?query=Behindpoison")).GetProperty("total").GetInt32());

        // Later passes keep flowing and do not meet the poison again.
        await catalog.PutArtistAsync(TestArtists.Make("artist-behind02", "Rook Afterpoison"), [], Ct);
        await Eventually.GetJsonAsync(host, "/v1/artists?query=Afterpoison", r => r.GetProperty("total").GetInt32() == 1);
        status = await Eventually.GetJsonAsync(host, "/v1/admin/sync", s => s.GetProperty("behind").GetInt64() == 0);
        Assert.Single(status.GetProperty("deadLetters").EnumerateArray());
        // A null lastError is left out of the answer.
        Assert.False(status.TryGetProperty("lastError", out var error) && error.ValueKind != System.Text.Json.JsonValueKind.Null, $"the sync is failing: {error}");
    }

    [Fact]
    public async Task A_reindex_while_serving_and_writing_leaves_the_index_equal_to_the_store()
    {
        await using var host = await DirectoryHost.StartAsync(settings: new Dictionary<string, string> { ["Admin:Token"] = Token });
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var catalog = host.Service<ArtistCatalog>();

        using var start = await host.Client.PostAsync("/v1/admin/reindex", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        // Writes and searches carry on while it runs.
        for (var i = 0; i < 20; i++)
        {
            await catalog.PutArtistAsync(TestArtists.Make($"artist-during{i:D2}", $"During Reindex{i}"), [], Ct);
            if (i % 5 == 0) await catalog.DeleteArtistAsync($"artist-during{i:D2}", Ct);
            await host.GetJsonAsync("/v1/artists?styles=blackwork&limit=5");
        }
        await host.Service<ReindexRunner>().WaitAsync();
        var status = await Eventually.GetJsonAsync(host, "/v1/admin/sync", s => s.GetProperty("behind").GetInt64() == 0 && s.GetProperty("reindex").GetProperty("state").GetString() == "idle");
        Assert.True(status.GetProperty("reindex").GetProperty("lastResult").GetProperty("documents").GetInt32() >= 300);

        var store = new SortedSet<(string, long)>();
        await foreach (var item in host.Service<ITable>().ScanAsync(Keys.ArtistPrefix, Ct))
        {
            if (item.Sk == Keys.Profile) store.Add((Keys.ArtistIdOf(item.Pk)!, item.Version));
        }
        var index = new SortedSet<(string, long)>();
        await foreach (var entry in host.Service<ISearchIndex>().ListAsync(Ct)) index.Add(entry);
        Assert.Equal(store, index);
    }
}
