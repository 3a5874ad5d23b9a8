using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Infra;

internal sealed record AppFunctionsProps(
    string Repository, string ImageTag, DataStores Data, SearchDomain Search, Messaging Messaging, AppSecrets Secrets);

/// <summary>
/// One Lambda function per role of the one app image (the <see cref="DeploymentNames.RoleSetting"/>
/// setting picks the role), and one per workflow task: each task then has its own timeout, its
/// own metrics and only the permissions it needs (Report may publish a report, not read secrets).
/// Every grant that gives a function a resource also gives it the resource's name in its
/// environment, so what a function may touch and what it is told about cannot drift apart.
/// </summary>
internal sealed class AppFunctions : Construct
{
    public static readonly RetentionDays LogRetention = RetentionDays.ONE_MONTH;

    /// <summary>The stream mapping's bounds (product.md §6): N attempts, then the failure queue; never older than this.</summary>
    public const int SyncRetryAttempts = 3;

    public static readonly Duration SyncMaxRecordAge = Duration.Hours(6);

    /// <summary>Below the queue's 300 s visibility, so a job is never handed to a second worker while the first still runs.</summary>
    public static readonly Duration ScrapeTimeout = Duration.Seconds(240);

    /// <summary>At most this many scrape workers at once: the politeness limit across all studio sites.</summary>
    public const int ScrapeConcurrency = 5;

    private readonly AppFunctionsProps _props;
    private readonly DockerImageCode _image;

    public AppFunctions(Construct scope, string id, AppFunctionsProps props)
        : base(scope, id)
    {
        _props = props;
        _image = DockerImageCode.FromEcr(Repository.FromRepositoryName(this, "AppRepository", props.Repository),
            new EcrImageCodeProps { TagOrDigest = props.ImageTag });
        var (data, messaging, secrets) = (props.Data, props.Messaging, props.Secrets);

        Api = Create("Api", DeploymentNames.ApiRole, Duration.Seconds(29), 1536, inVpc: true);
        data.Table.GrantReadWriteData(Api);
        data.Denylist.GrantReadWriteData(Api);
        data.Images.Bucket.GrantRead(Api);
        data.Images.Bucket.GrantDelete(Api);
        data.Images.Distribution.GrantCreateInvalidation(Api);
        props.Search.GrantSearch(Api);
        Publish(Api, Topics.RemovalRequests);
        Publish(Api, Topics.RemovalConfirmations);
        ReadSecret(Api, "Admin__Token", secrets.AdminToken);
        ReadSecret(Api, "Denylist__Key", secrets.DenylistKey);
        // The admin queue page and its DLQ redrive (product.md §7).
        UseQueue(Api, "sqs:GetQueueAttributes", "sqs:SendMessage");
        messaging.ScrapeDeadLetters.Grant(Api, "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:StartMessageMoveTask", "sqs:ListMessageMoveTasks", "sqs:CancelMessageMoveTask");

        StreamSync = Create("StreamSync", DeploymentNames.StreamSyncRole, Duration.Minutes(1), 1024, inVpc: true, props.Search.IndexAdmin);
        data.Table.GrantReadData(StreamSync);
        props.Search.Domain.GrantReadWrite(StreamSync);
        StreamSync.AddEventSource(new DynamoEventSource(data.Table, new DynamoEventSourceProps
        {
            StartingPosition = StartingPosition.TRIM_HORIZON,
            BatchSize = 100,
            // No filter: REMOVE events must reach the index, takedowns depend on them.
            BisectBatchOnError = true,
            RetryAttempts = SyncRetryAttempts,
            MaxRecordAge = SyncMaxRecordAge,
            ReportBatchItemFailures = true,
            OnFailure = new SqsDlq(messaging.SyncFailures),
        }));

        Scrape = Create("Scrape", DeploymentNames.ScrapeRole, ScrapeTimeout, 1024, inVpc: false);
        data.Table.GrantReadWriteData(Scrape);
        data.Denylist.GrantReadData(Scrape);
        data.Images.Bucket.GrantPut(Scrape);
        ReadSecret(Scrape, "Denylist__Key", secrets.DenylistKey);
        Scrape.AddEventSource(new SqsEventSource(messaging.Scrape, new SqsEventSourceProps
        {
            BatchSize = 5,
            MaxConcurrency = ScrapeConcurrency,
            ReportBatchItemFailures = true,
        }));

        WorkflowTasks = CreateWorkflowTasks();
    }

    public DockerImageFunction Api { get; }

    public DockerImageFunction StreamSync { get; }

    public DockerImageFunction Scrape { get; }

    /// <summary>The function behind each <c>${Name}</c> of the aggregation definition.</summary>
    public IReadOnlyDictionary<string, DockerImageFunction> WorkflowTasks { get; }

    /// <summary>Manual runs from the admin pages and CLI: start and describe executions of the aggregation workflow.</summary>
    public void AllowApiToRun(StateMachine stateMachine)
    {
        stateMachine.GrantStartExecution(Api);
        stateMachine.GrantRead(Api);
        Api.AddEnvironment("Aws__StepFunctions__StateMachines__" + AggregationNames.StateMachine, stateMachine.StateMachineArn);
    }

    private Dictionary<string, DockerImageFunction> CreateWorkflowTasks()
    {
        var (data, secrets) = (_props.Data, _props.Secrets);
        var tasks = new Dictionary<string, DockerImageFunction>(StringComparer.Ordinal);
        DockerImageFunction Task(string name, Duration timeout) =>
            tasks[name] = Create(name, DeploymentNames.WorkflowTaskRole, timeout, 512, inVpc: false, task: name);

        var discover = Task("DiscoverStudios", Duration.Minutes(5));
        data.Table.GrantReadWriteData(discover);
        data.Denylist.GrantReadData(discover);
        ReadSecret(discover, "Denylist__Key", secrets.DenylistKey);
        ReadSecret(discover, "Aggregation__Sources__GooglePlaces__ApiKey", secrets.GooglePlacesApiKey);

        var find = Task("FindArtists", Duration.Minutes(2));
        data.Table.GrantReadWriteData(find);
        data.Denylist.GrantReadData(find);
        ReadSecret(find, "Denylist__Key", secrets.DenylistKey);

        var queue = Task("QueueScraping", Duration.Minutes(5));
        data.Table.GrantReadWriteData(queue);
        data.Denylist.GrantReadData(queue);
        ReadSecret(queue, "Denylist__Key", secrets.DenylistKey);
        UseQueue(queue, "sqs:SendMessage", "sqs:GetQueueAttributes");

        var drained = Task("CheckQueueDrained", Duration.Seconds(30));
        data.Table.GrantReadData(drained);
        UseQueue(drained, "sqs:GetQueueAttributes");

        var report = Task("Report", Duration.Minutes(1));
        data.Table.GrantReadWriteData(report);
        Publish(report, Topics.AggregationReports);

        var notify = Task("NotifyFailure", Duration.Seconds(30));
        Publish(notify, Topics.CriticalAlerts);
        return tasks;
    }

    private DockerImageFunction Create(string id, string role, Duration timeout, int memoryMb, bool inVpc, IRole? executionRole = null, string? task = null)
    {
        var data = _props.Data;
        var environment = new Dictionary<string, string>
        {
            ["Backend"] = "Aws",
            [DeploymentNames.RoleSetting] = role,
            ["Aws__DynamoDb__Table"] = data.Table.TableName,
            ["Aws__DynamoDb__DenylistTable"] = data.Denylist.TableName,
            ["Aws__S3__Bucket"] = data.Images.Bucket.BucketName,
            ["Aws__S3__PublicBaseUrl"] = "https://" + data.Images.DistributionDomainName,
            ["Telemetry__Exporters__0"] = "emf",
            ["Telemetry__EmfNamespace"] = DeploymentNames.MetricNamespace,
        };
        if (task is not null) environment[DeploymentNames.WorkflowTaskSetting] = task;
        if (inVpc) environment["Aws__OpenSearch__Endpoint"] = "https://" + _props.Search.Domain.DomainEndpoint;

        return new DockerImageFunction(this, id, new DockerImageFunctionProps
        {
            Code = _image,
            Description = task is null ? $"Tattoo Directory: the {role} role." : $"Tattoo Directory: the {task} workflow task.",
            // x86_64: the image bundles libvips for linux-x64 (NetVips.Native.linux-x64).
            Architecture = Architecture.X86_64,
            MemorySize = memoryMb,
            Timeout = timeout,
            Environment = environment,
            Role = executionRole,
            Tracing = Tracing.ACTIVE,
            LogGroup = new LogGroup(this, id + "Logs", new LogGroupProps { Retention = LogRetention, RemovalPolicy = RemovalPolicy.DESTROY }),
            Vpc = inVpc ? _props.Search.Vpc : null,
            VpcSubnets = inVpc ? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS } : null,
            SecurityGroups = inVpc ? [_props.Search.ClientSecurityGroup] : null,
        });
    }

    private void Publish(DockerImageFunction function, string topic)
    {
        var target = _props.Messaging.Topic(topic);
        target.GrantPublish(function);
        function.AddEnvironment("Aws__Sns__Topics__" + topic, target.TopicArn);
    }

    private static void ReadSecret(DockerImageFunction function, string setting, ISecret secret)
    {
        secret.GrantRead(function);
        function.AddEnvironment("Secrets__" + setting, secret.SecretArn);
    }

    private void UseQueue(DockerImageFunction function, params string[] actions)
    {
        var messaging = _props.Messaging;
        messaging.Scrape.Grant(function, actions);
        function.AddEnvironment("Aws__Sqs__Queues__" + AggregationNames.ScrapeQueue, messaging.Scrape.QueueUrl);
        function.AddEnvironment("Aws__Sqs__DeadLetterQueues__" + AggregationNames.ScrapeQueue, messaging.ScrapeDeadLetters.QueueUrl);
    }
}
