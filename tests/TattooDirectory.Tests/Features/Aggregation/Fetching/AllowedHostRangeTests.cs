using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>Allow-list entries as the demo web prints them: one comma-separated value with port ranges.</summary>
public sealed class AllowedHostRangeTests
{
    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_port_range_given_as_one_value_allows_every_port_inside_it_and_none_outside()
    {
        await using var inside = await LoopbackSite.StartAsync();
        inside.Serve("/page", Canned.Html());
        await using var rig = new FetchRig([], new Dictionary<string, string?> { ["AllowedHosts"] = $"127.0.0.1:{P(inside.Port - 1)}-{P(inside.Port + 1)},127.0.0.1:1" });
        await using var outside = new FetchRig([], new Dictionary<string, string?> { ["AllowedHosts"] = $"127.0.0.1:{P(inside.Port + 1)}-{P(inside.Port + 5)}" });

        var allowed = await rig.GetAsync(inside.Url("/page"));
        var refused = await outside.GetAsync(inside.Url("/page"));

        Assert.True(allowed.Succeeded, allowed.Reason);
        Assert.Equal(FetchFailure.ForbiddenAddress, refused.Failure);
        Assert.Empty(outside.Network.Attempts);
    }

    [Theory]
    [InlineData("127.0.0.1:5099-5098")]
    [InlineData("127.0.0.1:1-65535")]
    [InlineData("127.0.0.1:5099-")]
    [InlineData("127.0.0.1:5099,nothing")]
    public void A_backwards_huge_or_malformed_range_is_refused_on_start(string entry)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aggregation:Fetch:ContactUrl"] = "https://directory.test/bot",
            ["Aggregation:Fetch:AllowedHosts"] = entry,
        }).Build());
        services.AddWebFetcher();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FetchOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Aggregation:Fetch:AllowedHosts ", StringComparison.Ordinal));
    }
}
