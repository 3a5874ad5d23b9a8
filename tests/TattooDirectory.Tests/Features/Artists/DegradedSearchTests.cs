using TattooDirectory.Backends.Local.Lucene;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Artists;

public sealed class DegradedSearchTests
{
    [Fact]
    public async Task When_the_index_is_down_search_answers_from_the_table_flagged_as_degraded()
    {
        await using var host = await DirectoryHost.StartAsync();
        var healthy = await host.GetJsonAsync("/v1/artists?styles=blackwork&location=Leeds&sort=distance&limit=50");
        Assert.False(healthy.TryGetProperty("degraded", out _));

        host.Service<LuceneSearchIndex>().Dispose();

        var degraded = await host.GetJsonAsync("/v1/artists?styles=blackwork&location=Leeds&sort=distance&limit=50");
        Assert.True(degraded.GetProperty("degraded").GetBoolean());
        Assert.False(string.IsNullOrEmpty(degraded.GetProperty("warning").GetString()));
        // Same filter, same answer set: the table's style + geohash fan-out covers the radius.
        Assert.Equal(healthy.GetProperty("total").GetInt32(), degraded.GetProperty("total").GetInt32());
        Assert.Equal(
            healthy.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()),
            degraded.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()));
        var health = await host.Client.GetStringAsync("/health", TestContext.Current.CancellationToken);
        Assert.Contains("Degraded", health);
    }
}
