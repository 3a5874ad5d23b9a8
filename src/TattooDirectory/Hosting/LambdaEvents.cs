using System.Text.Json;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Backends.Aws.Streams;

namespace TattooDirectory.Hosting;

/// <summary>
/// The event endpoints of the Lambda roles. The one image runs the app behind the Lambda Web
/// Adapter, which posts a non-HTTP event to its <c>AWS_LWA_PASS_THROUGH_PATH</c> and returns the
/// answer's body as the function's result; with <c>AWS_LWA_ERROR_STATUS_CODES</c> covering
/// 400–599 an error answer fails the invocation instead, so Lambda retries it. Each endpoint is
/// mapped only when its role is named in <c>Roles</c> (never through "all": these are for the
/// adapter inside a function, not for the public), and its handler is resolved at start, so a
/// function missing a setting its role needs fails to start rather than on its first event.
/// </summary>
internal static class LambdaEvents
{
    public const string Prefix = "/events";

    public static void Map(WebApplication app, RolesOptions roles)
    {
        if (Handler<DynamoDbStreamHandler>(app, roles, RolesOptions.StreamHandler) is { } stream)
        {
            Post(app, RolesOptions.StreamEventsPath, (request, ct) => StreamBatchAsync(request, stream, ct));
        }

        if (Handler<SqsBatchHandler>(app, roles, RolesOptions.ScrapeHandler) is { } scrape)
        {
            Post(app, RolesOptions.ScrapeEventsPath, (request, ct) => ScrapeBatchAsync(request, scrape, ct));
        }

        if (Handler<StepFunctionsTaskHandler>(app, roles, RolesOptions.WorkflowTask) is { } task)
        {
            Post(app, RolesOptions.WorkflowTaskEventsPath, (request, ct) => WorkflowTaskAsync(request, task, ct));
        }
    }

    /// <exception cref="InvalidOperationException">the role is named but this backend has no handler for it (they are the AWS backend's).</exception>
    private static T? Handler<T>(WebApplication app, RolesOptions roles, string role) where T : class
    {
        if (!roles.Enabled.Contains(role)) return null;
        return app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(T))
            ? app.Services.GetRequiredService<T>()
            : throw new InvalidOperationException($"The {role} role is a Lambda function of the AWS backend: it needs Backend=Aws.");
    }

    private static void Post(WebApplication app, string path, Func<HttpRequest, CancellationToken, Task<IResult>> handle) =>
        app.MapPost(path, handle).ExcludeFromDescription().DisableAntiforgery();

    /// <summary>The DynamoDB stream event in, the partial batch response out.</summary>
    private static async Task<IResult> StreamBatchAsync(HttpRequest request, DynamoDbStreamHandler handler, CancellationToken ct)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var response = await handler.HandleAsync(body.RootElement, ct);
            return Results.Content(response.ToJson(), "application/json");
        }
        catch (Exception ex) when (ex is JsonException or StreamRecordException)
        {
            return NotAnEvent("Not a DynamoDB stream event");
        }
    }

    /// <summary>The SQS event of the scrape queue in, the partial batch response out.</summary>
    private static async Task<IResult> ScrapeBatchAsync(HttpRequest request, SqsBatchHandler handler, CancellationToken ct)
    {
        try
        {
            return Results.Content(await handler.HandleAsync(await ReadAsync(request, ct), ct), "application/json");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return NotAnEvent("Not an SQS event");
        }
    }

    /// <summary>
    /// The state's Payload in, the task's result out, or the function error's
    /// <c>{"errorType", "errorMessage"}</c> with status 500. Behind the adapter that error reaches
    /// Step Functions with the adapter's own error name (its errorMessage carries this body), so the
    /// definition's Retry on <c>Task.Transient</c> does not match it there: see README "Running on AWS".
    /// </summary>
    private static async Task<IResult> WorkflowTaskAsync(HttpRequest request, StepFunctionsTaskHandler handler, CancellationToken ct)
    {
        var response = await handler.HandleAsync(await ReadAsync(request, ct), ct);
        return Results.Content(response.Body, "application/json", statusCode: response.IsError ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
    }

    private static async Task<string> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(ct);
    }

    private static IResult NotAnEvent(string title) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title);
}
