using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Backends.Aws.Secrets;

/// <summary>
/// Secrets Manager's GetSecretValue on the signed client: its JSON 1.1 protocol, POST / with
/// <c>X-Amz-Target: secretsmanager.GetSecretValue</c>; errors carry their code in <c>__type</c>.
/// </summary>
internal sealed class SecretsManagerApi(SignedHttpClient http, AwsOptions options)
{
    public const string Service = "secretsmanager";

    /// <summary>The current version's SecretString of the secret (an ARN or a name).</summary>
    /// <exception cref="AwsApiException">Secrets Manager refused (ResourceNotFoundException, AccessDeniedException, DecryptionFailure, ...), or the secret holds binary data only.</exception>
    public async Task<string> GetSecretStringAsync(string secretId, CancellationToken ct)
    {
        var response = await http.SendAsync(new SignedRequest(HttpMethod.Post, options.SecretsManager.Endpoint(Service, options.Region), Service)
        {
            Headers = [new("X-Amz-Target", "secretsmanager.GetSecretValue")],
            Body = Encoding.UTF8.GetBytes(new JsonObject { ["SecretId"] = secretId }.ToJsonString()),
            ContentType = "application/x-amz-json-1.1",
        }, ct);
        var body = Parse(response.Body);
        if (!response.IsSuccess)
        {
            // "ResourceNotFoundException", or with the model's namespace before a '#'.
            var type = Text(body, "__type") ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            throw new AwsApiException(Service, type[(type.LastIndexOf('#') + 1)..], Text(body, "Message") ?? Text(body, "message") ?? "", response.StatusCode);
        }

        return Text(body, "SecretString")
            ?? throw new AwsApiException(Service, "NoSecretString", "The secret holds no SecretString (binary secrets are not settings).", response.StatusCode);
    }

    private static string? Text(JsonObject? body, string name) => body?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject? Parse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
