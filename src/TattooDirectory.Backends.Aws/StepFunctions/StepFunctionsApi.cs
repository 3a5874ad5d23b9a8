using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Backends.Aws.StepFunctions;

/// <summary>
/// Step Functions' JSON 1.0 protocol on the signed client: POST / with
/// <c>X-Amz-Target: AWSStepFunctions.{Action}</c>; errors carry their code in <c>__type</c>.
/// </summary>
internal sealed class StepFunctionsApi(SignedHttpClient http, AwsOptions options)
{
    private const string Service = "states";

    /// <summary>Calls <paramref name="action"/>; a successful answer's JSON object, else <see cref="StepFunctionsError"/>.</summary>
    public async Task<JsonObject> CallAsync(string action, JsonObject request, CancellationToken ct)
    {
        var response = await http.SendAsync(new SignedRequest(HttpMethod.Post, options.StepFunctions.Endpoint(Service, options.Region), Service)
        {
            Headers = [new("X-Amz-Target", $"AWSStepFunctions.{action}")],
            Body = Encoding.UTF8.GetBytes(request.ToJsonString()),
            ContentType = "application/x-amz-json-1.0",
        }, ct);
        var body = Parse(response.Body);
        if (response.IsSuccess)
        {
            return body ?? [];
        }

        // "ExecutionAlreadyExists", or with the model's namespace before a '#'.
        var type = body?["__type"]?.GetValue<string>() ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var code = type[(type.LastIndexOf('#') + 1)..];
        var message = (body?["message"] ?? body?["Message"])?.GetValue<string>() ?? "";
        throw new StepFunctionsError(code, message, response.StatusCode);
    }

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

/// <summary>An error answer of Step Functions, before the engine maps it to the port's exceptions.</summary>
internal sealed class StepFunctionsError(string code, string message, HttpStatusCode status) : Exception(message)
{
    public string Code { get; } = code;

    public AwsApiException AsApiException() => new("states", Code, Message, status);
}
