using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Backends.Aws.Streams;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// The AWS backend. This slice registers the SDK clients, the DynamoDB table, the S3 blob store
/// and the shared signed HTTP client; the app's Backend=Aws wiring (denylist guards, the port
/// registrations, the other services) builds on these.
/// </summary>
public static class AwsBackend
{
    public static IServiceCollection AddAwsBackend(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.Section))
            .Validate(AwsOptions.IsValid, "Aws: needs a region, table, denylist table and bucket, both or neither static credentials, absolute service URLs and SignedClient:MaxAttempts >= 1 and a positive Streams:PollInterval.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AwsCredentialSource>();
        services.AddSingleton<IAmazonDynamoDB>(sp => new AmazonDynamoDBClient(sp.GetRequiredService<AwsCredentialSource>().Credentials, DynamoDbConfig(Options(sp))));
        services.AddSingleton<IAmazonS3>(sp => new AmazonS3Client(sp.GetRequiredService<AwsCredentialSource>().Credentials, S3Config(Options(sp))));
        services.AddSingleton(sp => new DynamoDbTable(sp.GetRequiredService<IAmazonDynamoDB>(), Options(sp).DynamoDb, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new S3BlobStore(sp.GetRequiredService<IAmazonS3>(), Options(sp).S3, Options(sp).Region));
        services.AddHttpClient<SignedHttpClient>();
        services.AddSingleton<DynamoDbStreamPoller>();
        services.AddSingleton<DynamoDbStreamHandler>();
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
