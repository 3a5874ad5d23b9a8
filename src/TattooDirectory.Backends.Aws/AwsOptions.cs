using TattooDirectory.Backends.Aws.OpenSearch;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// The <c>Aws:</c> section. Every service has its own endpoint override, so LocalStack (one
/// endpoint for all) and the emulators (one per service) are both just configuration. Without
/// static credentials the SDK's default chain (environment, profile, container/instance role) applies.
/// </summary>
public sealed class AwsOptions
{
    public const string Section = "Aws";

    public string Region { get; set; } = "eu-west-2";

    /// <summary>Static credentials, meant for emulators; leave both empty in AWS.</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public DynamoDbOptions DynamoDb { get; set; } = new();

    public S3Options S3 { get; set; } = new();

    public OpenSearchOptions OpenSearch { get; set; } = new();

    public Sqs.SqsOptions Sqs { get; set; } = new();

    public Sns.SnsOptions Sns { get; set; } = new();

    public StepFunctions.StepFunctionsOptions StepFunctions { get; set; } = new();

    public StreamsOptions Streams { get; set; } = new();

    /// <summary>Where the <c>Secrets:</c> settings are read from (Secrets.AwsSecrets); only its endpoint override is configurable.</summary>
    public AwsServiceOptions SecretsManager { get; set; } = new();

    public Signing.SignedClientOptions SignedClient { get; set; } = new();

    public bool HasStaticCredentials => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    public static bool IsValid(AwsOptions options) =>
        !string.IsNullOrWhiteSpace(options.Region)
        && string.IsNullOrEmpty(options.AccessKeyId) == string.IsNullOrEmpty(options.SecretAccessKey)
        && !string.IsNullOrWhiteSpace(options.DynamoDb.Table)
        && !string.IsNullOrWhiteSpace(options.DynamoDb.DenylistTable)
        && !string.IsNullOrWhiteSpace(options.S3.Bucket)
        && options.SignedClient.MaxAttempts >= 1
        && OpenSearchOptions.IsValid(options.OpenSearch)
        && IsUrlOrEmpty(options.DynamoDb.ServiceUrl) && IsUrlOrEmpty(options.Streams.ServiceUrl) && options.Streams.PollInterval > TimeSpan.Zero && IsUrlOrEmpty(options.S3.ServiceUrl) && IsUrlOrEmpty(options.S3.PublicBaseUrl)
        && IsUrlOrEmpty(options.Sqs.ServiceUrl) && IsUrlOrEmpty(options.Sns.ServiceUrl) && IsUrlOrEmpty(options.StepFunctions.ServiceUrl) && IsUrlOrEmpty(options.SecretsManager.ServiceUrl)
        && options.Sqs.IsValid && options.Sns.IsValid && options.StepFunctions.IsValid;

    private static bool IsUrlOrEmpty(string? value) => string.IsNullOrEmpty(value) || Uri.TryCreate(value, UriKind.Absolute, out _);
}

public class AwsServiceOptions
{
    /// <summary>An endpoint instead of the service's regional one (LocalStack, an emulator).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The endpoint to call: the override, else the service's regional one.</summary>
    internal Uri Endpoint(string service, string region) =>
        new(string.IsNullOrEmpty(ServiceUrl) ? $"https://{service}.{region}.amazonaws.com/" : ServiceUrl);

    internal static bool IsArnOrEmpty(string? value) => string.IsNullOrEmpty(value) || value.StartsWith("arn:", StringComparison.Ordinal);
}

public sealed class DynamoDbOptions : AwsServiceOptions
{
    public string Table { get; set; } = "tattoo-directory";

    /// <summary>The denylist's own table (architecture.md): items whose partition key starts with <c>DENY#</c> live there.</summary>
    public string DenylistTable { get; set; } = "tattoo-directory-denylist";

    /// <summary>How many single-item writes a batch write keeps in flight.</summary>
    public int BatchConcurrency { get; set; } = 16;
}

public sealed class S3Options : AwsServiceOptions
{
    public string Bucket { get; set; } = "tattoo-directory";

    /// <summary>Path-style addressing (bucket in the path): emulators need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Where public, immutable blobs are served from (CloudFront); defaults to the bucket's own URL.</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>
/// The shard poller's DynamoDB Streams settings (<c>Aws:Streams</c>). Without a stream ARN the
/// table's latest stream is looked up on first use.
/// </summary>
public sealed class StreamsOptions : AwsServiceOptions
{
    public string? StreamArn { get; set; }

    /// <summary>How often an idle poller asks each open shard for records (Lambda's event source polls 4 times a second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the shard list is read again to find the children of split or rotated shards.</summary>
    public TimeSpan ShardRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The consumer whose checkpoint numbers the poller's positions (the search sync).</summary>
    public string Consumer { get; set; } = TattooDirectory.Core.Sync.IndexSync.Consumer;
}
