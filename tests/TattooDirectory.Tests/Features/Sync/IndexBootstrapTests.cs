using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Sync;

public sealed class IndexBootstrapTests
{
    [Fact]
    public async Task A_lost_index_folder_is_rebuilt_from_the_store_on_start()
    {
        using var data = new TempDirectory();
        int total;
        await using (var first = await DirectoryHost.StartAsync(data: data))
        {
            total = (await first.GetJsonAsync("/v1/artists?limit=1")).GetProperty("total").GetInt32();
        }
        Directory.Delete(data.Combine("index"), recursive: true);

        await using var second = await DirectoryHost.StartAsync(data: data);
        Assert.Equal(total, (await second.GetJsonAsync("/v1/artists?limit=1")).GetProperty("total").GetInt32());
        Assert.True(total >= 300);
    }
}
