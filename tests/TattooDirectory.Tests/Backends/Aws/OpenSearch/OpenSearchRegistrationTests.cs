using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.OpenSearch;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

public sealed class OpenSearchRegistrationTests
{
    [Fact]
    public void The_backend_binds_the_opensearch_section_and_registers_one_index()
    {
        using var services = Services(new()
        {
            ["Aws:OpenSearch:Endpoint"] = "https://search-directory-abc123.eu-west-2.es.amazonaws.com",
            ["Aws:OpenSearch:Index"] = "artists-v2",
        });

        var options = services.GetRequiredService<IOptions<AwsOptions>>().Value.OpenSearch;

        Assert.Equal(("https://search-directory-abc123.eu-west-2.es.amazonaws.com", "artists-v2"), (options.Endpoint, options.Index));
        Assert.Same(services.GetRequiredService<OpenSearchIndex>(), services.GetRequiredService<OpenSearchIndex>());
    }

    [Fact]
    public void Without_opensearch_settings_the_backend_still_starts() =>
        Assert.Equal("artists", Services([]).GetRequiredService<IOptions<AwsOptions>>().Value.OpenSearch.Index);

    [Theory]
    [InlineData("Aws:OpenSearch:Endpoint", "search-directory.es.amazonaws.com")]
    [InlineData("Aws:OpenSearch:Index", "Artists")]
    [InlineData("Aws:OpenSearch:Index", "artists/_doc")]
    [InlineData("Aws:OpenSearch:Index", "")]
    public void Invalid_opensearch_settings_are_refused(string key, string value)
    {
        using var services = Services(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddAwsBackend(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
