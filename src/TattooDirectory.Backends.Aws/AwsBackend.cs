using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Backends.Aws.Sns;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Backends.Aws.Streams;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// The AWS backend. This registers the SDK clients, the DynamoDB table, the S3 blob store, the
/// shared signed HTTP client, the SQS queues, the SNS topics, the Step Functions engine and the
/// Lambda entry points for workflow tasks and queue consumers; the app's Backend=Aws wiring (denylist guards, the port
/// registrations, the other services) builds on these.
/// </summary>
public static class AwsBackend
{
    public static IServiceCollection AddAwsBackend(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.Section))
            .Validate(AwsOptions.IsValid, "Aws: needs a region, table, denylist table and bucket, both or neither static credentials, absolute service URLs, an OpenSearch index name, ARNs for SNS topics and state machines, a queue prefix of letters, digits, '-' or '_', Sqs:BatchConcurrency and SignedClient:MaxAttempts of at least 1, and a positive Streams:PollInterval.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AwsCredentialSource>();
        services.AddSingleton<IAmazonDynamoDB>(sp => new AmazonDynamoDBClient(sp.GetRequiredService<AwsCredentialSource>().Credentials, DynamoDbConfig(Options(sp))));
        services.AddSingleton<IAmazonS3>(sp => new AmazonS3Client(sp.GetRequiredService<AwsCredentialSource>().Credentials, S3Config(Options(sp))));
        services.AddSingleton(sp => new DynamoDbTable(sp.GetRequiredService<IAmazonDynamoDB>(), Options(sp).DynamoDb, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new S3BlobStore(sp.GetRequiredService<IAmazonS3>(), Options(sp).S3, Options(sp).Region));
        // Adapters holding the typed client are singletons: pooled connections are recycled
        // instead of the handler, so DNS changes still reach them.
        services.AddHttpClient<SignedHttpClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new OpenSearchIndex(sp.GetRequiredService<SignedHttpClient>(), Options(sp).OpenSearch, Options(sp).SignedClient, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DynamoDbStreamPoller>();
        services.AddSingleton<DynamoDbStreamHandler>();
        services.AddSingleton<IAmazonSQS>(sp => new AmazonSQSClient(sp.GetRequiredService<AwsCredentialSource>().Credentials, SqsConfig(Options(sp))));
        services.AddSingleton(sp => new SqsQueues(sp.GetRequiredService<IAmazonSQS>(), Options(sp).Sqs, sp.GetRequiredService<ILogger<SqsQueues>>()));
        services.AddSingleton<SnsTopic>();
        services.AddSingleton<StepFunctionsEngine>();

        // The Lambda entry points, resolved only in their roles: the task handler needs
        // Aws:StepFunctions:Task, the batch handler an IQueueMessageProcessor from the app.
        services.AddSingleton<StepFunctionsTaskHandler>();
        services.AddSingleton<SqsBatchHandler>();
        return services;
    }

    /// <summary>The DynamoDB client settings for the options: region, endpoint override, standard retries.</summary>
    public static AmazonDynamoDBConfig DynamoDbConfig(AwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Configure(new AmazonDynamoDBConfig(), options.Region, options.DynamoDb.ServiceUrl);
    }

    public static AmazonS3Config S3Config(AwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = Configure(new AmazonS3Config(), options.Region, options.S3.ServiceUrl);
        config.ForcePathStyle = options.S3.ForcePathStyle;
        return config;
    }

    public static AmazonSQSConfig SqsConfig(AwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Configure(new AmazonSQSConfig(), options.Region, options.Sqs.ServiceUrl);
    }

    private static T Configure<T>(T config, string region, string? serviceUrl) where T : ClientConfig
    {
        config.RetryMode = RequestRetryMode.Standard;
        if (string.IsNullOrEmpty(serviceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            // An endpoint override still signs for the configured region.
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }

        return config;
    }

    private static AwsOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AwsOptions>>().Value;
}
