using System.Text.Json.Nodes;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// What a Lambda handler of this backend answers: the response JSON, or a function error as the
/// Lambda runtime reports one (body <c>{"errorType", "errorMessage"}</c>, and <see cref="ErrorType"/>
/// for the runtime API's <c>Lambda-Runtime-Function-Error-Type</c> header). Step Functions' Retry
/// and Catch match the errorType as the task's error name.
/// </summary>
public sealed record LambdaResponse(string Body, string? ErrorType = null)
{
    public bool IsError => ErrorType is not null;

    public static LambdaResponse Json(JsonNode? body) => new(body?.ToJsonString() ?? "null");

    public static LambdaResponse Error(string errorType, string errorMessage) =>
        new(new JsonObject { ["errorType"] = errorType, ["errorMessage"] = errorMessage }.ToJsonString(), errorType);
}
