using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Core.Storage;
using Amazon.DynamoDBv2;
using Amazon.S3;

namespace TattooDirectory.Tests.Backends.Aws;

public sealed class AwsBackendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Configured_endpoints_and_keys_reach_the_emulators_through_the_registered_adapters()
    {
        var names = AwsEmulators.Options();
        using var services = Services(new Dictionary<string, string?>
        {
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "S3RVER",
            ["Aws:SecretAccessKey"] = "S3RVER",
            ["Aws:DynamoDb:ServiceUrl"] = (await AwsEmulators.DynaliteAsync()).ToString(),
            ["Aws:DynamoDb:Table"] = names.DynamoDb.Table,
            ["Aws:DynamoDb:DenylistTable"] = names.DynamoDb.DenylistTable,
            ["Aws:S3:ServiceUrl"] = (await AwsEmulators.S3rverAsync()).ToString(),
            ["Aws:S3:ForcePathStyle"] = "true",
            ["Aws:S3:Bucket"] = names.S3.Bucket,
        });
        var options = services.GetRequiredService<IOptions<AwsOptions>>().Value;
        await DynamoDbSchema.EnsureTablesAsync(services.GetRequiredService<IAmazonDynamoDB>(), options.DynamoDb, TimeProvider.System, Ct);
        await S3BlobStore.EnsureBucketAsync(services.GetRequiredService<IAmazonS3>(), options.S3.Bucket, Ct);

        var stored = await services.GetRequiredService<DynamoDbTable>().PutAsync(new Item { Pk = "ARTIST#1", Sk = "PROFILE", Data = "{}" }, cancellationToken: Ct);
        var blobs = services.GetRequiredService<S3BlobStore>();
        await blobs.PutAsync("docs/a.txt", new MemoryStream(Encoding.UTF8.GetBytes("a")), "text/plain", cancellationToken: Ct);

        Assert.Equal(1, stored.Version);
        Assert.Equal(1L, (await blobs.HeadAsync("docs/a.txt", Ct))?.Length);
        await services.GetRequiredService<IAmazonDynamoDB>().DeleteTableAsync(options.DynamoDb.Table, Ct);
        await services.GetRequiredService<IAmazonDynamoDB>().DeleteTableAsync(options.DynamoDb.DenylistTable, Ct);
    }

    [Theory]
    [InlineData("Aws:S3:Bucket", "")]
    [InlineData("Aws:AccessKeyId", "only-half-a-pair")]
    [InlineData("Aws:DynamoDb:ServiceUrl", "not a url")]
    public void Invalid_settings_are_refused(string key, string value)
    {
        using var services = Services(new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddAwsBackend(configuration).BuildServiceProvider();
    }
}
