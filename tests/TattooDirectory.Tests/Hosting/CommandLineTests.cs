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

    /// <summary>
    /// Commands run in one process at once (the test suite does) only when each draws its live
    /// progress on its own console: Spectre refuses a second live display on the same console.
    /// </summary>
    [Fact]
    public async Task Seed_and_reindex_print_on_the_console_they_are_given()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();
        var storage = $"--Storage:DataDirectory={data.Path}";

        Assert.Equal(0, await CommandRunner.RunAsync(output, "seed", "--artists", "40", "--studios", "8", "--no-images", storage));
        Assert.Equal(0, await CommandRunner.RunAsync(output, "reindex", storage));

        var printed = output.ToString();
        Assert.Contains("Seeded 8 studios, 40 artists and 0 images", printed, StringComparison.Ordinal);
        Assert.Contains("Reindexed 40 artists", printed, StringComparison.Ordinal);
    }

    /// <summary>Exit code 1 alone does not say whether audit-removal found a trace or a command crashed: the console does.</summary>
    [Fact]
    public async Task A_command_that_fails_exits_1_and_prints_why_on_the_console_it_was_given()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();
        // A file where the data directory should be: the store cannot be opened.
        var notADirectory = data.Combine("store-file");
        await File.WriteAllTextAsync(notADirectory, "not a directory", TestContext.Current.CancellationToken);

        Assert.Equal(1, await CommandRunner.RunAsync(output, "reindex", $"--Storage:DataDirectory={notADirectory}"));

        Assert.Contains("Unhandled exception", output.ToString(), StringComparison.Ordinal);
    }
}
