using Microsoft.Extensions.Options;

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
    /// <summary>The scrape job handler for Lambda: SQS batches from the event source mapping, behind the Lambda Web Adapter.</summary>
    public const string ScrapeHandler = "scrape-handler";
    /// <summary>One workflow task's Lambda function (<c>Aws:StepFunctions:Task</c>), behind the Lambda Web Adapter.</summary>
    public const string WorkflowTask = "workflow-task";
    public const string Scheduler = "scheduler";
    /// <summary>The other background workers: outbox relay, notification delivery, purge, removal operations, alarms.</summary>
    public const string Workers = "workers";

    public static IReadOnlyList<string> Known { get; } = [All, Api, Sync, StreamHandler, Scrape, ScrapeHandler, WorkflowTask, Scheduler, Workers];

    /// <summary>Where the Lambda Web Adapter posts the stream events (its AWS_LWA_PASS_THROUGH_PATH).</summary>
    public const string StreamEventsPath = "/events/dynamodb-stream";

    /// <summary>Where the Lambda Web Adapter posts the scrape queue's SQS events.</summary>
    public const string ScrapeEventsPath = "/events/scrape";

    /// <summary>Where the Lambda Web Adapter posts a workflow task's invocation (the state's Payload).</summary>
    public const string WorkflowTaskEventsPath = "/events/workflow-task";

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

    /// <summary>Without the api role only health and the role's own endpoints answer; each Lambda role named in Roles maps its event endpoint.</summary>
    public static WebApplication MapRoles(this WebApplication app)
    {
        var roles = app.Services.GetRequiredService<IOptions<RolesOptions>>().Value;
        if (!roles.Runs(RolesOptions.Api))
        {
            app.Use((context, next) =>
                AlwaysServed.Any(p => context.Request.Path.StartsWithSegments(p)) || context.Request.Path.StartsWithSegments(LambdaEvents.Prefix)
                    ? next(context)
                    : Results.NotFound().ExecuteAsync(context));
        }

        LambdaEvents.Map(app, roles);
        return app;
    }
}
