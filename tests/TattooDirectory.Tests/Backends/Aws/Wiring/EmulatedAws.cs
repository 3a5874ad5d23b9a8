using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.S3;

namespace TattooDirectory.Tests.Backends.Aws.Wiring;

/// <summary>
/// The whole app's <c>Aws:</c> settings with the store and blobs at dynalite and s3rver (fresh
/// tables and bucket) and every other service at a closed loopback port, so each is unreachable
/// and nothing leaves the machine, static credentials included (no lookup of an instance role).
/// </summary>
internal static class EmulatedAws
{
    // Port 9 (discard) has no listener on loopback: a connection there is refused at once.
    public const string Nowhere = "http://127.0.0.1:9/";

    public static async Task<Dictionary<string, string>> SettingsAsync(CancellationToken ct)
    {
        var options = AwsEmulators.Options(await AwsEmulators.DynaliteAsync(), await AwsEmulators.S3rverAsync(), accessKey: "S3RVER");
        using (var dynamoDb = AwsEmulators.DynamoDbClient(options)) await DynamoDbSchema.EnsureTablesAsync(dynamoDb, options.DynamoDb, TimeProvider.System, ct);
        using (var s3 = AwsEmulators.S3Client(options)) await S3BlobStore.EnsureBucketAsync(s3, options.S3.Bucket, ct);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Aws:Region"] = options.Region,
            ["Aws:AccessKeyId"] = "S3RVER",
            ["Aws:SecretAccessKey"] = "S3RVER",
            ["Aws:DynamoDb:ServiceUrl"] = options.DynamoDb.ServiceUrl!,
            ["Aws:DynamoDb:Table"] = options.DynamoDb.Table,
            ["Aws:DynamoDb:DenylistTable"] = options.DynamoDb.DenylistTable,
            ["Aws:S3:ServiceUrl"] = options.S3.ServiceUrl!,
            ["Aws:S3:ForcePathStyle"] = "true",
            ["Aws:S3:Bucket"] = options.S3.Bucket,
            ["Aws:Streams:ServiceUrl"] = Nowhere,
            ["Aws:Sqs:ServiceUrl"] = Nowhere,
            ["Aws:Sns:ServiceUrl"] = Nowhere,
            ["Aws:StepFunctions:ServiceUrl"] = Nowhere,
            ["Aws:SecretsManager:ServiceUrl"] = Nowhere,
        };
    }
}
