using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>The signer against AWS's published SigV4 test suite (aws-sig-v4-test-suite), and the signed client's retries.</summary>
public sealed class SigV4Tests
{
    private static readonly ImmutableCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("get-vanilla", "GET", "/", "", "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "", "", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("post-vanilla", "POST", "/", "", "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("post-x-www-form-urlencoded", "POST", "/", "Content-Type:application/x-www-form-urlencoded", "Param1=value1", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")]
    [InlineData("get-header-value-trim", "GET", "/", "My-Header1: value1 |My-Header2: \"a   b   c\"", "", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")]
    public void Signatures_match_the_published_test_vectors(string vector, string method, string pathAndQuery, string headers, string body, string signedHeaders, string signature)
    {
        var request = SuiteRequest(method, pathAndQuery, headers, body);

        var signed = SigV4.Sign(request, SuiteCredentials, "us-east-1", "service", SuiteTime);

        Assert.True($"{Scope}, SignedHeaders={signedHeaders}, Signature={signature}" == signed.Authorization, $"{vector}:\n{signed.CanonicalRequest}");
        Assert.Contains(new KeyValuePair<string, string>("X-Amz-Date", "20150830T123600Z"), signed.HeadersToAdd);
    }

    [Fact]
    public void The_canonical_request_sorts_the_query_and_collapses_header_spaces_as_published()
    {
        var (queryOrder, _) = SigV4.CanonicalRequest(SuiteRequest("GET", "/?Param2=value2&Param1=value1", "Host:example.amazonaws.com|X-Amz-Date:20150830T123600Z", ""));
        var (trimmed, _) = SigV4.CanonicalRequest(SuiteRequest("GET", "/", "Host:example.amazonaws.com|My-Header1: value1 |My-Header2: \"a   b   c\"|X-Amz-Date:20150830T123600Z", ""));

        Assert.Equal($"GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EmptyHash}", queryOrder);
        Assert.Equal($"GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n{EmptyHash}", trimmed);
    }

    [Fact]
    public void Temporary_credentials_add_and_sign_the_session_token()
    {
        var signed = SigV4.Sign(SuiteRequest("GET", "/", "", ""), new ImmutableCredentials("AKIDEXAMPLE", "secret", "session-token"), "us-east-1", "service", SuiteTime);

        Assert.Contains(new KeyValuePair<string, string>("X-Amz-Security-Token", "session-token"), signed.HeadersToAdd);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", signed.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signed_client_retries_throttling_with_a_fresh_signature_and_returns_the_answer()
    {
        using var http = new CannedHttp()
            .Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""")
            .Respond(HttpStatusCode.ServiceUnavailable, "")
            .Respond(HttpStatusCode.OK, """{"ok":true}""");
        var client = Client(http, new FakeTimeProvider(SuiteTime));

        var response = await client.SendAsync(new SignedRequest(HttpMethod.Post, new Uri("https://states.us-east-1.amazonaws.com/"), "states")
        {
            Body = Encoding.UTF8.GetBytes("{}"),
            ContentType = "application/x-amz-json-1.0",
            Headers = [new("X-Amz-Target", "AWSStepFunctions.DescribeExecution")],
        }, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccess);
        Assert.Equal("""{"ok":true}""", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(3, http.Requests.Count);
        Assert.All(http.Requests, r =>
        {
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/20150830/eu-west-2/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
                r.Request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
            Assert.Equal("{}", r.Body);
        });
    }

    [Fact]
    public async Task The_signed_client_returns_other_errors_at_once_and_gives_up_after_the_last_attempt()
    {
        using var http = new CannedHttp()
            .Respond(HttpStatusCode.BadRequest, """{"__type":"ValidationException","message":"Throttling is not the problem"}""")
            .Respond(HttpStatusCode.TooManyRequests, "").Respond(HttpStatusCode.TooManyRequests, "").Respond(HttpStatusCode.TooManyRequests, "").Respond(HttpStatusCode.TooManyRequests, "");
        var client = Client(http, new FakeTimeProvider(SuiteTime));
        var request = new SignedRequest(HttpMethod.Get, new Uri("https://search.example.eu-west-2.es.amazonaws.com/artists/_doc/1"), "es");

        var invalid = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var throttled = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests), (invalid.StatusCode, throttled.StatusCode));
        Assert.Equal(1 + 4, http.Requests.Count);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(3, 400)]
    [InlineData(10, 5000)]
    public void Backoff_is_a_random_share_of_an_exponential_cap(int attempt, double capMs)
    {
        var options = new SignedClientOptions();

        Assert.Equal(TimeSpan.Zero, SignedHttpClient.RetryDelay(attempt, options, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(capMs / 2), SignedHttpClient.RetryDelay(attempt, options, 0.5));
    }

    private static SignedHttpClient Client(CannedHttp http, TimeProvider time)
    {
        // No backoff: the retry delays themselves are covered by the backoff test.
        var options = new AwsOptions { AccessKeyId = "AKID", SecretAccessKey = "secret", SignedClient = new SignedClientOptions { BaseDelay = TimeSpan.Zero } };
        return new SignedHttpClient(new HttpClient(http, disposeHandler: false), new AwsCredentialSource(Options.Create(options)), Options.Create(options), time, NullLogger<SignedHttpClient>.Instance);
    }

    /// <summary>A suite request on example.amazonaws.com; headers as "Name:value|Name:value".</summary>
    private static SignableRequest SuiteRequest(string method, string pathAndQuery, string headers, string body) => new(
        new HttpMethod(method),
        new Uri("https://example.amazonaws.com" + pathAndQuery),
        [.. headers.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(h => h.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]))],
        Encoding.UTF8.GetBytes(body));
}
