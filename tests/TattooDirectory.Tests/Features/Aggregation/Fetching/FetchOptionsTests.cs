using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

public sealed class FetchOptionsTests
{
    [Fact]
    public void The_defaults_with_a_contact_url_are_valid_and_match_the_product_rules()
    {
        var options = Bind(new() { ["ContactUrl"] = "https://directory.test/bot" });

        Assert.Equal((10, 30), ((int)options.ConnectTimeout.TotalSeconds, (int)options.TotalTimeout.TotalSeconds));
        Assert.Equal((2 * 1024 * 1024, 15 * 1024 * 1024, 500 * 1024), (options.MaxHtmlBytes, options.MaxImageBytes, options.MaxRobotsBytes));
        Assert.Equal((5, 2, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)), (options.MaxRedirects, options.PerHostConcurrency, options.MinHostInterval, options.RobotsCacheDuration));
    }

    [Fact]
    public void A_fetcher_without_a_contact_url_does_not_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind([]));

        Assert.Contains(error.Failures, f => f.Contains("Aggregation:Fetch:ContactUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_setting_is_named_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["ContactUrl"] = "mailto:bot@directory.test",
            ["TotalTimeout"] = "00:00:05",
            ["MaxImageBytes"] = "0",
            ["MaxRedirects"] = "50",
            ["PerHostConcurrency"] = "0",
            ["RobotsCacheDuration"] = "2.00:00:00",
            ["AllowedHosts:0"] = "127.0.0.1",
            ["DeniedNetworks:0"] = "10.0.0.0/33",
            ["AllowedPorts:0"] = "70000",
        }));

        foreach (var setting in new[] { "ContactUrl", "TotalTimeout", "MaxImageBytes", "MaxRedirects", "PerHostConcurrency", "RobotsCacheDuration", "AllowedHosts", "DeniedNetworks", "AllowedPorts" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith($"Aggregation:Fetch:{setting} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("127.0.0.1:5099")]
    [InlineData("[::1]:8080")]
    [InlineData("demo.localhost:80")]
    public void An_allow_list_entry_is_host_and_port(string entry)
    {
        var options = Bind(new() { ["ContactUrl"] = "https://directory.test/bot", ["AllowedHosts:0"] = entry });

        Assert.Equal([entry], options.AllowedHosts);
    }

    private static FetchOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"{FetchOptions.Section}:{s.Key}", s.Value)))
            .Build());
        services.AddWebFetcher();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FetchOptions>>().Value;
    }
}
