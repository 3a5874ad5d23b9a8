using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>
/// An <see cref="OpenSearchIndex"/> whose signed client talks to a <see cref="CannedHttp"/>: the
/// tests see every request it sends and feed it OpenSearch's documented answers. Retries wait
/// zero time, so throttling tests need no clock.
/// </summary>
internal sealed class CannedOpenSearch : IDisposable
{
    public const string Endpoint = "https://search-directory-abc123.eu-west-2.es.amazonaws.com";

    private readonly HttpClient client;

    public CannedOpenSearch(string? endpoint = Endpoint, int maxAttempts = 4)
    {
        var options = new AwsOptions
        {
            Region = "eu-west-2",
            AccessKeyId = "AKIDEXAMPLE",
            SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            OpenSearch = new OpenSearchOptions { Endpoint = endpoint, Index = "artists" },
            SignedClient = new SignedClientOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero },
        };
        client = new HttpClient(Http, disposeHandler: false);
        Index = SignedClients.Index(client, options, new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero)));
    }

    public CannedHttp Http { get; } = new();

    public OpenSearchIndex Index { get; }

    public CannedOpenSearch Respond(HttpStatusCode status, string body)
    {
        Http.Respond(status, body);
        return this;
    }

    public (HttpRequestMessage Request, string Body) Request(int i) => Http.Requests[i];

    public JsonObject SentJson(int i) => JsonNode.Parse(Http.Requests[i].Body)!.AsObject();

    /// <summary>The request line as OpenSearch sees it: method and path with query, below the endpoint.</summary>
    public string SentLine(int i) => $"{Http.Requests[i].Request.Method} {Http.Requests[i].Request.RequestUri!.PathAndQuery}";

    /// <summary>The answer to the index creation the first write makes.</summary>
    public CannedOpenSearch RespondIndexCreated() =>
        Respond(HttpStatusCode.OK, """{"acknowledged":true,"shards_acknowledged":true,"index":"artists"}""");

    /// <summary>A search answer with no hits and empty facets, for tests that only look at the request.</summary>
    public CannedOpenSearch RespondEmptySearch() => Respond(HttpStatusCode.OK, """
        {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]},
         "aggregations":{"styles":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},
                         "cities":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]}}}
        """);

    public void Dispose()
    {
        client.Dispose();
        Http.Dispose();
    }
}
