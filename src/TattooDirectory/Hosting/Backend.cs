using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Backends.Aws.Secrets;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Backends.Aws.Sns;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Backends.Aws.Streams;
using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Hosting;

public sealed class BackendOptions
{
    public const string Local = "Local";
    public const string Aws = "Aws";

    /// <summary>Which backend family serves the ports: Local (embedded, the default) or Aws.</summary>
    public string Backend { get; set; } = Local;

    public bool IsAws => string.Equals(Backend, Aws, StringComparison.OrdinalIgnoreCase);

    public static bool IsValid(BackendOptions options) =>
        options.IsAws || string.Equals(options.Backend, Local, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Chooses the backend family in one place; features only see the ports.</summary>
public static class Backend
{
    public static WebApplicationBuilder AddBackend(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackendOptions>().Bind(builder.Configuration)
            .Validate(BackendOptions.IsValid, "Backend must be 'Local' or 'Aws'.")
            .ValidateOnStart();
        var options = builder.Configuration.Get<BackendOptions>() ?? new BackendOptions();
        if (options.IsAws)
        {
            // First, so every option bound from here on sees the secrets' values (Secrets__<Setting> = ARN).
            builder.Configuration.AddAwsSecrets(builder.Configuration);
            builder.Services.AddAwsPorts(builder.Configuration);
        }
        else
        {
            builder.Services.AddLocalBackend();
        }

        builder.Services.AddSingleton<ArtistCatalog>();
        builder.Services.AddSingleton<TableSearch>();
        return builder;
    }

    public static WebApplication MapBackendEndpoints(this WebApplication app)
    {
        // On AWS, S3 (behind CloudFront) serves the blobs and signs their URLs itself.
        if (!app.Services.GetRequiredService<IOptions<BackendOptions>>().Value.IsAws) app.MapLocalBlobs();
        return app;
    }

    /// <summary>
    /// The ports on AWS, guarded as on the Local backend: writers get the table behind the
    /// denylist guard and the blob store behind the denylisted store, with the denylist's key
    /// from configuration (a secret there: it cannot be kept beside data the app does not own).
    /// The change stream is the shard poller (the Lambda role gets its batches from the event
    /// source instead). The search index without an endpoint is a stand-in that fails on use, so
    /// the app starts, searches fall back to the table and /health names what is missing.
    /// </summary>
    private static void AddAwsPorts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsBackend(configuration);
        services.AddOptions<DenylistOptions>().BindConfiguration(DenylistOptions.Section)
            .Validate(o => o.Key is not null && DenylistOptions.IsValid(o), "Denylist:Key (base64 of at least 32 bytes) is required on the AWS backend.")
            .ValidateOnStart();
        services.AddSingleton(sp => new IdentityHasher(sp.GetRequiredService<IOptions<DenylistOptions>>().Value.KeyBytes()!));
        services.AddSingleton<ITable>(sp => new DenylistGuard(sp.GetRequiredService<DynamoDbTable>(), sp.GetRequiredService<IdentityHasher>()));
        services.AddSingleton(sp => new Denylist(sp.GetRequiredService<ITable>(), sp.GetRequiredService<IdentityHasher>()));
        services.AddSingleton<IBlobStore>(sp => new DenylistedBlobStore(sp.GetRequiredService<S3BlobStore>(), sp.GetRequiredService<Denylist>()));
        services.AddSingleton<IChangeStream>(sp => sp.GetRequiredService<DynamoDbStreamPoller>());
        services.AddSingleton<IQueues>(sp => sp.GetRequiredService<SqsQueues>());
        services.AddSingleton<ITopic>(sp => sp.GetRequiredService<SnsTopic>());
        services.AddSingleton<IWorkflowEngine>(sp => sp.GetRequiredService<StepFunctionsEngine>());
        // Without an endpoint there is no domain to ask: searches are served degraded from the table.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AwsOptions>>().Value.OpenSearch.Endpoint is { Length: > 0 }
            ? (ISearchIndex)sp.GetRequiredService<OpenSearchIndex>()
            : UnconfiguredPort.Create<ISearchIndex>(BackendOptions.Aws));
    }
}
