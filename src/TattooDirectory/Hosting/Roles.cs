using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.Streams;

namespace TattooDirectory.Hosting;

/// <summary>
/// Which parts of the app this process runs (<c>Roles</c>, comma-separated; <c>all</c> by default):
/// the same build is the API container, the stream-sync Lambda, a scrape worker, ... by
/// configuration alone (architecture.md "Shape").
/// </summary>
public sealed class RolesOptions
{
    public const string All = "all";
    /// <summary>The web UI, the /v1 API and the admin pages.</summary>
    public const string Api = "api";
    /// <summary>The index sync polling the change stream (the shard poller on AWS).</summary>
    public const string Sync = "sync";
    /// <summary>The DynamoDB stream event handler for Lambda, behind the Lambda Web Adapter.</summary>
    public const string StreamHandler = "stream-handler";
    /// <summary>The scrape worker consuming the scrape queue.</summary>
    public const string Scrape = "scrape";
    public const string Scheduler = "scheduler";
    /// <summary>The other background workers: outbox relay, notification delivery, purge, removal operations, alarms.</summary>
    public const string Workers = "workers";

    public static IReadOnlyList<string> Known { get; } = [All, Api, Sync, StreamHandler, Scrape, Scheduler, Workers];

    /// <summary>Where the Lambda Web Adapter posts the stream events (its AWS_LWA_PASS_THROUGH_PATH).</summary>
    public const string StreamEventsPath = "/events/dynamodb-stream";

    public string Roles { get; set; } = All;

    public IReadOnlySet<string> Enabled => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public bool Runs(string role) => Enabled.Contains(All) || Enabled.Contains(role);

    public static bool IsValid(RolesOptions options) => options.Enabled.Count > 0 && options.Enabled.All(Known.Contains);

    /// <summary>The role a background worker belongs to, by the name it reports its heartbeat under.</summary>
    public static string RoleOfWorker(string worker) => worker switch
    {
        "sync" => Sync,
        "scrape" => Scrape,
        "scheduler" => Scheduler,
        _ => Workers,
    };
}

public static class Roles
{
    private static readonly string[] AlwaysServed = ["/alive", "/health"];

    public static WebApplicationBuilder AddRoles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RolesOptions>().Bind(builder.Configuration)
            .Validate(RolesOptions.IsValid, $"Roles must list some of: {string.Join(", ", RolesOptions.Known)}.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Without the api role only health and the role's own endpoints answer; with stream-handler the Lambda event endpoint is mapped.</summary>
    public static WebApplication MapRoles(this WebApplication app)
    {
        var roles = app.Services.GetRequiredService<IOptions<RolesOptions>>().Value;
        if (!roles.Runs(RolesOptions.Api))
        {
            app.Use((context, next) =>
                AlwaysServed.Any(p => context.Request.Path.StartsWithSegments(p)) || context.Request.Path.StartsWithSegments("/events")
                    ? next(context)
                    : Results.NotFound().ExecuteAsync(context));
        }

        // Only when named (not part of "all"): the endpoint is for the adapter inside a Lambda, never for the public.
        if (roles.Enabled.Contains(RolesOptions.StreamHandler) && app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(DynamoDbStreamHandler)))
        {
            app.MapPost(RolesOptions.StreamEventsPath, HandleStreamEventAsync).ExcludeFromDescription().DisableAntiforgery();
        }

        return app;
    }

    /// <summary>
    /// The Lambda Web Adapter posts the DynamoDB stream event here and returns this answer as the
    /// function's result: the partial batch response, or an error (Lambda then retries the batch).
    /// </summary>
    private static async Task<IResult> HandleStreamEventAsync(HttpRequest request, DynamoDbStreamHandler handler, CancellationToken ct)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var response = await handler.HandleAsync(body.RootElement, ct);
            return Results.Content(response.ToJson(), "application/json");
        }
        catch (Exception ex) when (ex is JsonException or StreamRecordException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a DynamoDB stream event");
        }
    }
}
