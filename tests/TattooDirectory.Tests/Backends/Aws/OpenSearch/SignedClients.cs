using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>Builds the adapter's signed client and index over any handler: canned answers, or loopback LocalStack.</summary>
internal static class SignedClients
{
    public static SignedHttpClient Create(HttpClient http, AwsOptions options, TimeProvider time)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        return new SignedHttpClient(http, new AwsCredentialSource(wrapped), wrapped, time, NullLogger<SignedHttpClient>.Instance);
    }

    public static OpenSearchIndex Index(HttpClient http, AwsOptions options, TimeProvider time) =>
        new(Create(http, options, time), options.OpenSearch, options.SignedClient, time);

    /// <summary>Parsed-JSON equality, so key order is free but every clause and value counts.</summary>
    public static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual?.ToJsonString()}");
}
