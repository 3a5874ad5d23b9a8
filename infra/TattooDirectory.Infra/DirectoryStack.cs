using Amazon.CDK;
using Constructs;

namespace TattooDirectory.Infra;

/// <summary>What the stack is built from besides the code: the workflow definition and the app image.</summary>
public sealed class DirectoryStackProps : StackProps
{
    /// <summary>The text of aggregation.asl.json, deployed as it is: only its <c>${Name}</c>s are substituted.</summary>
    public required string AggregationDefinition { get; init; }

    /// <summary>
    /// The ECR repository holding the app image. Synth never builds Docker or the app: CI pushes the
    /// image and passes its tag as the <c>AppImageTag</c> parameter at deploy time.
    /// </summary>
    public string AppImageRepository { get; init; } = "tattoo-directory";
}

/// <summary>
/// The production stack (architecture.md): the single table and the denylist, OpenSearch, the image
/// bucket behind CloudFront, the scrape queue, the topics, a function per role of the one app image
/// and a container for its background workers,
/// the aggregation state machine on its schedule, alarms, a dashboard and the secrets.
/// </summary>
public sealed class DirectoryStack : Stack
{
    public DirectoryStack(Construct scope, string id, DirectoryStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var data = new DataStores(this, "Data");
        var network = new SearchDomain(this, "Search");
        var messaging = new Messaging(this, "Messaging", data.Key);
        var secrets = new AppSecrets(this, "Secrets");
        var imageTag = new CfnParameter(this, "AppImageTag", new CfnParameterProps
        {
            Type = "String",
            Description = "The tag (or sha256 digest) of the app image in the ECR repository, pushed by CI before the deploy.",
            MinLength = 1,
        });

        var processes = new AppProcessProps(props.AppImageRepository, imageTag.ValueAsString, data, network, messaging, secrets);
        var compute = new AppFunctions(this, "Functions", processes);
        _ = new WorkersService(this, "Workers", processes, compute.Repository);
        var workflow = new AggregationWorkflow(this, "Aggregation", props.AggregationDefinition, compute.WorkflowTasks);
        compute.AllowApiToRun(workflow.StateMachine);
        var api = new PublicApi(this, "Api", compute.Api);
        _ = new Monitoring(this, "Monitoring", new MonitoringProps(messaging, compute, api.HttpApi, workflow.StateMachine));

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = api.HttpApi.ApiEndpoint });
        _ = new CfnOutput(this, "ImagesUrl", new CfnOutputProps { Value = "https://" + data.Images.DistributionDomainName });
        _ = new CfnOutput(this, "StateMachineArn", new CfnOutputProps { Value = workflow.StateMachine.StateMachineArn });
    }
}
