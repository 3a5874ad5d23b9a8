using Amazon.DynamoDBv2;
using Amazon.S3;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>
/// One dynalite and one s3rver per test run, started on first use (so a filtered run that needs
/// neither starts neither), and the settings that point the SDK clients at them or at LocalStack.
/// </summary>
internal static class AwsEmulators
{
    public const string LocalStackVariable = "LOCALSTACK_ENDPOINT";

    private static readonly Lazy<Task<NodeEmulator?>> Dynalite = new(() => NodeEmulator.StartAsync("dynalite", """
        const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
        """));

    private static readonly TempDirectory S3rverData = new();

    private static readonly Lazy<Task<NodeEmulator?>> S3rver = new(() => NodeEmulator.StartAsync("s3rver", $$"""
        const S3rver = require('s3rver');
        new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: {{System.Text.Json.JsonSerializer.Serialize(S3rverData.Path)}} })
          .run().then(({ port }) => console.log('LISTENING ' + port));
        """));

    /// <summary>Options for a fresh table pair and bucket at the emulators (or LocalStack): unique names per caller.</summary>
    public static AwsOptions Options(Uri? dynamoDb = null, Uri? s3 = null, string accessKey = "test")
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new AwsOptions
        {
            Region = "us-east-1",
            AccessKeyId = accessKey,
            SecretAccessKey = accessKey,
            DynamoDb = new DynamoDbOptions { ServiceUrl = dynamoDb?.ToString(), Table = $"t-{suffix}", DenylistTable = $"d-{suffix}" },
            S3 = new S3Options { ServiceUrl = s3?.ToString(), ForcePathStyle = true, Bucket = $"b-{suffix}" },
        };
    }

    public static async Task<Uri> DynaliteAsync() => (await Dynalite.Value)?.Endpoint ?? Skip("dynalite");

    public static async Task<Uri> S3rverAsync() => (await S3rver.Value)?.Endpoint ?? Skip("s3rver");

    /// <summary>The LocalStack endpoint, or the test is skipped with the reason.</summary>
    public static Uri LocalStack()
    {
        var value = Environment.GetEnvironmentVariable(LocalStackVariable);
        Assert.SkipWhen(string.IsNullOrEmpty(value), $"{LocalStackVariable} is not set: the AWS contract suites run against LocalStack only when it points at one.");
        return new Uri(value!);
    }

    public static AmazonDynamoDBClient DynamoDbClient(AwsOptions options) =>
        new(new Amazon.Runtime.BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), AwsBackend.DynamoDbConfig(options));

    public static AmazonS3Client S3Client(AwsOptions options) =>
        new(new Amazon.Runtime.BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), AwsBackend.S3Config(options));

    private static Uri Skip(string emulator)
    {
        Assert.Skip($"node is not installed, so {emulator} cannot run.");
        return null!;
    }
}
