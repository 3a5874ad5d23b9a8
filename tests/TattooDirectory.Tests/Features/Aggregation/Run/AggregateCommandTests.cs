using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>The <c>aggregate</c> command: a run recorded for later, and a run carried out here with live progress.</summary>
public sealed class AggregateCommandTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>, IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly StringWriter _output = new();

    public void Dispose()
    {
        _output.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Without_wait_the_run_is_recorded_and_with_wait_it_runs_to_success_and_fills_the_directory()
    {
        Assert.Equal(0, await RunAsync("aggregate", "--city", "Leeds"));
        Assert.Contains("recorded", _output.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await RunAsync("aggregate", "--city", "Leeds", "--wait"));

        Assert.Matches(@"Run\s+manual-\S+\s+succeeded:\s+\d+\s+studios,\s+\d+\s+artists\s+found", _output.ToString());
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: AggregationAdminApiTests.Settings(demo.Web), data: _data);
        var leeds = demo.Web.Manifest.Sites.Where(s => s.City == "Leeds").SelectMany(s => s.Artists).First(a => a.Expect == ArtistOutcome.Scraped);
        var found = await host.GetJsonAsync($"/v1/artists?query={Uri.EscapeDataString(leeds.Name)}&limit=50");
        Assert.Contains(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString() == leeds.Name);
    }

    private Task<int> RunAsync(params string[] args) =>
        CommandRunner.RunAsync(_output, [.. args, $"--Storage:DataDirectory={_data.Path}", "--Seed:OnStart=false",
            .. AggregationAdminApiTests.Settings(demo.Web).Select(s => $"--{s.Key}={s.Value}")]);
}
