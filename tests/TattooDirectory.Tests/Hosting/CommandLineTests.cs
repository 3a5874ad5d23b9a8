using TattooDirectory.Hosting;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Seed_then_reindex_on_an_empty_data_directory_gives_a_searchable_directory()
    {
        using var data = new TempDirectory();
        var storage = $"--Storage:DataDirectory={data.Path}";
        Assert.Equal(0, await DirectoryCommandLine.InvokeAsync(["seed", "--artists", "40", "--studios", "8", "--no-images", storage]));
        Directory.Delete(data.Combine("index"), recursive: true);
        Assert.Equal(0, await DirectoryCommandLine.InvokeAsync(["reindex", storage]));

        await using var host = await DirectoryHost.StartAsync(seed: true, data: data);
        var result = await host.GetJsonAsync("/v1/artists?limit=1");
        // Seeding on start saw a non-empty store and left the 40 artists alone.
        Assert.Equal(40, result.GetProperty("total").GetInt32());
        Assert.False(Directory.Exists(data.Combine("blobs", "artists")) && Directory.EnumerateFiles(data.Combine("blobs"), "*", SearchOption.AllDirectories).Any());
    }
}
