using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using TattooDirectory.Backends.Aws.Secrets;

namespace TattooDirectory.Tests.Backends.Aws.Secrets;

/// <summary>
/// <c>Secrets:&lt;Setting&gt;</c> = ARN becomes the setting's value at start, read with Secrets
/// Manager's documented GetSecretValue request (JSON 1.1) and answers, with no network behind it.
/// </summary>
public sealed class AwsSecretsTests
{
    private const string TokenArn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:AdminToken-a1b2c3";
    private const string KeyArn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:DenylistKey-d4e5f6";

    private readonly CannedHttp _http = new();

    /// <summary>The documented GetSecretValue answer (API reference, "Retrieve the encrypted secret value"), with this secret's value.</summary>
    private static string Answer(string arn, string value) => new JsonObject
    {
        ["ARN"] = arn,
        ["CreatedDate"] = 1.523477145713E9,
        ["Name"] = arn.Split(':')[^1],
        ["SecretString"] = value,
        ["VersionId"] = "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1",
        ["VersionStages"] = new JsonArray("AWSCURRENT"),
    }.ToJsonString();

    [Fact]
    public void Each_named_secret_is_read_with_the_documented_request_and_its_value_becomes_the_setting_over_a_plain_one()
    {
        _http.Respond(HttpStatusCode.OK, Answer(TokenArn, "the-operator-token")).Respond(HttpStatusCode.OK, Answer(KeyArn, "a2V5LWJ5dGVz"));

        var configuration = Build(new() { ["Secrets:Admin:Token"] = TokenArn, ["Secrets:Denylist:Key"] = KeyArn, ["Admin:Token"] = "a plain setting" });

        Assert.Equal(("the-operator-token", "a2V5LWJ5dGVz"), (configuration["Admin:Token"], configuration["Denylist:Key"]));
        Assert.Equal([TokenArn, KeyArn], _http.Requests.Select(r => JsonNode.Parse(r.Body)!["SecretId"]!.GetValue<string>()));
        Assert.All(_http.Requests, r =>
        {
            Assert.Equal((HttpMethod.Post, "http://127.0.0.1:9/"), (r.Request.Method, r.Request.RequestUri!.ToString()));
            Assert.Equal("secretsmanager.GetSecretValue", r.Request.Headers.GetValues("X-Amz-Target").Single());
            Assert.Equal("application/x-amz-json-1.1", r.Request.Content!.Headers.GetValues("Content-Type").Single());
            Assert.True(JsonNode.DeepEquals(new JsonObject { ["SecretId"] = JsonNode.Parse(r.Body)!["SecretId"]!.DeepClone() }, JsonNode.Parse(r.Body)), r.Body);
            Assert.Contains("/eu-west-2/secretsmanager/aws4_request,", r.Request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_throttled_read_is_retried()
    {
        _http.Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","Message":"Rate exceeded"}""").Respond(HttpStatusCode.OK, Answer(TokenArn, "the-operator-token"));

        Assert.Equal("the-operator-token", Build(new() { ["Secrets:Admin:Token"] = TokenArn })["Admin:Token"]);
        Assert.Equal(2, _http.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}""", "ResourceNotFoundException")]
    [InlineData(HttpStatusCode.BadRequest, """{"__type":"AccessDeniedException","Message":"User is not authorized to perform: secretsmanager:GetSecretValue"}""", "AccessDeniedException")]
    [InlineData(HttpStatusCode.OK, """{"ARN":"arn:aws:secretsmanager:eu-west-2:123456789012:secret:AdminToken-a1b2c3","Name":"AdminToken","SecretBinary":"AAEC"}""", "NoSecretString")]
    public void A_secret_that_cannot_be_read_fails_the_start_naming_the_setting_and_the_error(HttpStatusCode status, string answer, string code)
    {
        _http.Respond(status, answer);

        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Secrets:Admin:Token"] = TokenArn }));

        Assert.Contains("Secrets:Admin:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({code})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_named_secret_nothing_is_asked()
    {
        var configuration = Build(new() { ["Admin:Token"] = "a plain setting" });

        Assert.Equal("a plain setting", configuration["Admin:Token"]);
        Assert.Empty(_http.Requests);
    }

    private IConfigurationRoot Build(Dictionary<string, string?> settings)
    {
        settings["Aws:Region"] = "eu-west-2";
        settings["Aws:AccessKeyId"] = settings["Aws:SecretAccessKey"] = "test";
        settings["Aws:SecretsManager:ServiceUrl"] = "http://127.0.0.1:9/";
        settings["Aws:SignedClient:BaseDelay"] = "00:00:00";
        var builder = new ConfigurationBuilder().AddInMemoryCollection(settings);
        return builder.AddAwsSecrets(builder.Build(), _http).Build();
    }
}
