using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.S3;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Backends.Aws.Sns;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Workflow;
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
    [InlineData("Aws:Sqs:QueuePrefix", "prod.")]
    [InlineData("Aws:Sqs:BatchConcurrency", "0")]
    [InlineData("Aws:Sns:TopicArnPrefix", "td-")]
    [InlineData("Aws:StepFunctions:StateMachineArns:aggregation", "td-aggregation")]
    [InlineData("Aws:StepFunctions:ServiceUrl", "states")]
    public void Invalid_settings_are_refused(string key, string value)
    {
        using var services = Services(new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsOptions>>().Value);
    }

    [Fact]
    public async Task Messaging_settings_reach_the_registered_queue_topic_engine_and_task_handler()
    {
        var http = new CannedHttp()
            .Respond(System.Net.HttpStatusCode.OK, "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>")
            .Respond(System.Net.HttpStatusCode.OK, """{"executionArn":"arn:aws:states:us-east-1:1:execution:td-aggregation:r","startDate":1.5e9}""");
        using var services = Services(new Dictionary<string, string?>
        {
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Aws:Sqs:QueuePrefix"] = "td-",
            ["Aws:Sns:ServiceUrl"] = "http://127.0.0.1:9/sns/",
            ["Aws:Sns:TopicArns:removal-requests"] = "arn:aws:sns:us-east-1:1:td-removals",
            ["Aws:StepFunctions:ServiceUrl"] = "http://127.0.0.1:9/states/",
            ["Aws:StepFunctions:StateMachineArnPrefix"] = "arn:aws:states:us-east-1:1:stateMachine:td-",
            ["Aws:StepFunctions:Task"] = "Report",
        }, s => s.AddSingleton(WorkflowTask.Create("Report", (_, _) => Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null)))
            .AddHttpClient<SignedHttpClient>().ConfigurePrimaryHttpMessageHandler(() => http));

        var queue = services.GetRequiredService<SqsQueues>().Get("scrape-jobs", new QueueSettings());
        await services.GetRequiredService<SnsTopic>().PublishAsync(Topics.RemovalRequests, new Notification("s", "b"), Ct);
        await services.GetRequiredService<StepFunctionsEngine>().StartExecutionAsync("aggregation", cancellationToken: Ct);

        Assert.Equal("scrape-jobs", queue.Name);
        Assert.Equal(["http://127.0.0.1:9/sns/", "http://127.0.0.1:9/states/"], http.Requests.Select(r => r.Request.RequestUri!.ToString()));
        Assert.Contains("TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3Atd-removals", http.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("stateMachine:td-aggregation", http.Requests[1].Body, StringComparison.Ordinal);
        Assert.Equal("Report", services.GetRequiredService<StepFunctionsTaskHandler>().TaskName);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddAwsBackend(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

}
