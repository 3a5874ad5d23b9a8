using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Infra;

/// <summary>What every process of the app image is built from: the image, and the resources it may be given.</summary>
internal sealed record AppProcessProps(
    string Repository, string ImageTag, DataStores Data, SearchDomain Search, Messaging Messaging, AppSecrets Secrets);

/// <summary>
/// One Lambda function per role of the one app image (the <see cref="DeploymentNames.RoleSetting"/>
/// setting picks the role), and one per workflow task: each task then has its own timeout, its
/// own metrics and only the permissions it needs (Report may write its record, not read the queue),
/// each granted and told through <see cref="AppProcess"/>. The functions other than the API get
/// their events through the Lambda Web Adapter, posted to their role's endpoint.
/// </summary>
internal sealed class AppFunctions : Construct
{
    public static readonly RetentionDays LogRetention = RetentionDays.ONE_MONTH;

    /// <summary>The stream mapping's bounds (product.md §6): N attempts, then the failure queue; never older than this.</summary>
    public const int SyncRetryAttempts = 3;

    public static readonly Duration SyncMaxRecordAge = Duration.Hours(6);

    /// <summary>Below the queue's 300 s visibility, so a job is never handed to a second worker while the first still runs.</summary>
    public static readonly Duration ScrapeTimeout = Duration.Seconds(240);

    /// <summary>
    /// A scrape job's own deadline on Lambda, inside <see cref="ScrapeTimeout"/> with room to record
    /// its outcome: a batch's jobs run at once, so the batch answers before the function times out
    /// (a timeout would fail the whole batch, settled jobs included).
    /// </summary>
    public static readonly TimeSpan ScrapeJobTimeout = TimeSpan.FromSeconds(210);

    /// <summary>At most this many scrape workers at once: the politeness limit across all studio sites.</summary>
    public const int ScrapeConcurrency = 5;

    private readonly AppProcessProps _props;
    private readonly DockerImageCode _image;

    public AppFunctions(Construct scope, string id, AppProcessProps props)
        : base(scope, id)
    {
        _props = props;
        Repository = Amazon.CDK.AWS.ECR.Repository.FromRepositoryName(this, "AppRepository", props.Repository);
        _image = DockerImageCode.FromEcr(Repository, new EcrImageCodeProps { TagOrDigest = props.ImageTag });
        var (data, messaging, secrets) = (props.Data, props.Messaging, props.Secrets);

        Api = Create("Api", DeploymentNames.ApiRole, Duration.Seconds(29), 1536, inVpc: true);
        data.Table.GrantReadWriteData(Api);
        data.Denylist.GrantReadWriteData(Api);
        data.Images.Bucket.GrantRead(Api);
        data.Images.Bucket.GrantDelete(Api);
        data.Images.Distribution.GrantCreateInvalidation(Api);
        props.Search.GrantSearch(Api);
        var api = Process(Api);
        // Its notifications go through the outbox (the workers publish them); /health asks SNS about the alerts topic.
        api.ProbeTopic(Topics.CriticalAlerts);
        api.ReadSecret("Admin__Token", secrets.AdminToken);
        // The admin queue page and its DLQ redrive (product.md §7).
        api.UseQueue(["sqs:GetQueueAttributes", "sqs:SendMessage"], ["sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:StartMessageMoveTask", "sqs:ListMessageMoveTasks", "sqs:CancelMessageMoveTask"]);

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
        Scrape.AddEnvironment(DeploymentNames.ScrapeJobTimeoutSetting, ScrapeJobTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        Scrape.AddEventSource(new SqsEventSource(messaging.Scrape, new SqsEventSourceProps
        {
            BatchSize = 5,
            MaxConcurrency = ScrapeConcurrency,
            ReportBatchItemFailures = true,
        }));

        WorkflowTasks = CreateWorkflowTasks();
    }

    /// <summary>The app image's repository, which the workers' container runs from too.</summary>
    public IRepository Repository { get; }

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
        Api.AddEnvironment(DeploymentNames.StateMachineArnSetting + AggregationNames.StateMachine, stateMachine.StateMachineArn);
    }

    private Dictionary<string, DockerImageFunction> CreateWorkflowTasks()
    {
        var data = _props.Data;
        var tasks = new Dictionary<string, DockerImageFunction>(StringComparer.Ordinal);
        DockerImageFunction Task(string name, Duration timeout) =>
            tasks[name] = Create(name, DeploymentNames.WorkflowTaskRole, timeout, 512, inVpc: false, task: name);

        var discover = Task("DiscoverStudios", Duration.Minutes(5));
        data.Table.GrantReadWriteData(discover);
        data.Denylist.GrantReadData(discover);
        Process(discover).ReadSecret("Aggregation__Sources__GooglePlaces__ApiKey", _props.Secrets.GooglePlacesApiKey);

        var find = Task("FindArtists", Duration.Minutes(2));
        data.Table.GrantReadWriteData(find);
        data.Denylist.GrantReadData(find);

        var queue = Task("QueueScraping", Duration.Minutes(5));
        data.Table.GrantReadWriteData(queue);
        data.Denylist.GrantReadData(queue);
        Process(queue).UseQueue(["sqs:SendMessage", "sqs:GetQueueAttributes"], []);

        var drained = Task("CheckQueueDrained", Duration.Seconds(30));
        data.Table.GrantReadData(drained);
        // The drain check reads the DLQ's depth too: a dead letter is a job that will never report.
        Process(drained).UseQueue(["sqs:GetQueueAttributes"], ["sqs:GetQueueAttributes"]);

        // Report and NotifyFailure write their notification to the table's outbox, which the workers relay.
        var report = Task("Report", Duration.Minutes(1));
        data.Table.GrantReadWriteData(report);

        var notify = Task("NotifyFailure", Duration.Seconds(30));
        data.Table.GrantReadWriteData(notify);
        return tasks;
    }

    private DockerImageFunction Create(string id, string role, Duration timeout, int memoryMb, bool inVpc, IRole? executionRole = null, string? task = null)
    {
        var environment = AppProcess.Environment(_props, Stack.Of(this), role, inVpc);
        if (task is not null) environment[DeploymentNames.WorkflowTaskSetting] = task;
        if (EventsPath(role) is { } path)
        {
            environment[DeploymentNames.WebAdapter.PassThroughPathSetting] = path;
            environment[DeploymentNames.WebAdapter.ErrorStatusCodesSetting] = DeploymentNames.WebAdapter.ErrorStatusCodes;
        }

        var function = new DockerImageFunction(this, id, new DockerImageFunctionProps
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

        // Every process of the AWS backend guards its table writes with the keyed denylist and
        // refuses to start without the key (Hosting/Backend.cs), so every function reads it.
        Process(function).ReadSecret("Denylist__Key", _props.Secrets.DenylistKey);
        return function;
    }

    /// <summary>Where the Lambda Web Adapter posts a role's events; the API's are HTTP requests, served as they come.</summary>
    private static string? EventsPath(string role) => role switch
    {
        DeploymentNames.StreamSyncRole => DeploymentNames.WebAdapter.StreamEventsPath,
        DeploymentNames.ScrapeRole => DeploymentNames.WebAdapter.ScrapeEventsPath,
        DeploymentNames.WorkflowTaskRole => DeploymentNames.WebAdapter.WorkflowTaskEventsPath,
        _ => null,
    };

    private AppProcess Process(DockerImageFunction function) => new(_props, function, (name, value) => function.AddEnvironment(name, value));
}
