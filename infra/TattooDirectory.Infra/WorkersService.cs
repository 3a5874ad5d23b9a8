using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Logs;
using Constructs;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Infra;

/// <summary>
/// The app's <c>workers</c> role as one always-on Fargate task of the same image: the outbox relay
/// (the only publisher to the topics), the purge of approved removals, the removal SLA and contact
/// retention, and the gauges behind the removal alarms. These are loops over the store, not
/// answers to events, so they get a container rather than a function. Alarms are CloudWatch's on
/// AWS (Monitoring), so the app's own evaluator is off here.
/// </summary>
internal sealed class WorkersService : Construct
{
    /// <summary>Alarms:Enabled: the in-process evaluator would only see this container's metrics and double CloudWatch's alerts.</summary>
    public const string AlarmsEnabledSetting = "Alarms__Enabled";

    /// <summary>Aws:Streams:StreamArn: the relay's doorbell reads the table's stream, so no lookup (and no grant for one) is needed.</summary>
    public const string StreamArnSetting = "Aws__Streams__StreamArn";

    public WorkersService(Construct scope, string id, AppProcessProps props, IRepository repository)
        : base(scope, id)
    {
        var (data, search) = (props.Data, props.Search);
        Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = search.Vpc });
        Task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 512,
            MemoryLimitMiB = 1024,
            // x86_64: the image bundles libvips for linux-x64, as for the functions.
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
        });

        var environment = AppProcess.Environment(props, Stack.Of(this), DeploymentNames.WorkersRole, inVpc: true);
        environment[AlarmsEnabledSetting] = "false";
        environment[StreamArnSetting] = data.Table.TableStreamArn!;
        Container = Task.AddContainer("App", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromEcrRepository(repository, props.ImageTag),
            Environment = environment,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "workers",
                LogGroup = new LogGroup(this, "Logs", new LogGroupProps { Retention = AppFunctions.LogRetention, RemovalPolicy = RemovalPolicy.DESTROY }),
            }),
            // Time to finish the purge step in hand: a purge resumes at its first unrecorded step anyway.
            StopTimeout = Duration.Seconds(30),
        });

        // The task role is what the app's code runs as (the execution role only pulls the image and writes the logs).
        var role = Task.TaskRole;
        var process = new AppProcess(props, role, (name, value) => Container.AddEnvironment(name, value));
        data.Table.GrantReadWriteData(role);
        data.Table.GrantStreamRead(role);
        // The purge writes the denylist, deletes the images and their cached copies, and waits for the index to drop the profile.
        data.Denylist.GrantReadWriteData(role);
        data.Images.Bucket.GrantRead(role);
        data.Images.Bucket.GrantDelete(role);
        data.Images.Distribution.GrantCreateInvalidation(role);
        search.GrantSearch(role);
        foreach (var topic in Topics.All) process.Publish(topic);
        // The queue gauges (the dashboard's depth and the DLQ alarms' app-side twin) read the depths only.
        process.UseQueue(["sqs:GetQueueAttributes"], ["sqs:GetQueueAttributes"]);
        process.ReadSecret("Denylist__Key", props.Secrets.DenylistKey);

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = Cluster,
            TaskDefinition = Task,
            DesiredCount = 1,
            // Never two at once, even during a deploy: two relays could both publish an entry
            // before either deletes it, and SNS standard topics do not deduplicate.
            MinHealthyPercent = 0,
            MaxHealthyPercent = 100,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            SecurityGroups = [search.ClientSecurityGroup],
            AssignPublicIp = false,
        });
    }

    public Cluster Cluster { get; }

    public FargateTaskDefinition Task { get; }

    public ContainerDefinition Container { get; }

    public FargateService Service { get; }
}
