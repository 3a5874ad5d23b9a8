using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SecretsManager;
using TattooDirectory.Core.Aggregation;

namespace TattooDirectory.Infra;

/// <summary>
/// One process of the app image, a Lambda function or a container: where its grants go and how it
/// is told things. Every grant that gives a process a resource also gives it the resource's name,
/// under the app's own option name, so what a process may touch and what it is told about cannot
/// drift apart, whatever runs it.
/// </summary>
internal sealed class AppProcess(AppProcessProps props, IGrantable grantee, Action<string, string> tell)
{
    /// <summary>What every process is told: the backend, its role and the stores every role uses.</summary>
    public static Dictionary<string, string> Environment(AppProcessProps props, Stack stack, string role, bool inVpc)
    {
        var data = props.Data;
        var environment = new Dictionary<string, string>
        {
            ["Backend"] = "Aws",
            [DeploymentNames.RoleSetting] = role,
            [DeploymentNames.RegionSetting] = stack.Region,
            ["Aws__DynamoDb__Table"] = data.Table.TableName,
            ["Aws__DynamoDb__DenylistTable"] = data.Denylist.TableName,
            ["Aws__S3__Bucket"] = data.Images.Bucket.BucketName,
            ["Aws__S3__PublicBaseUrl"] = "https://" + data.Images.DistributionDomainName,
            ["Telemetry__Exporters__0"] = "emf",
            ["Telemetry__EmfNamespace"] = DeploymentNames.MetricNamespace,
        };
        if (inVpc) environment["Aws__OpenSearch__Endpoint"] = "https://" + props.Search.Domain.DomainEndpoint;
        return environment;
    }

    /// <summary>
    /// The outbox relay's grant: every notification is written to the table's outbox with the change
    /// that causes it, and only the relay publishes it to its topic.
    /// </summary>
    public void Publish(string topic)
    {
        var target = props.Messaging.Topic(topic);
        target.GrantPublish(grantee);
        ProbeTopic(topic);
    }

    /// <summary>The topic health check asks SNS for the attributes of a topic the process was given; that is all it may do there.</summary>
    public void ProbeTopic(string topic)
    {
        var target = props.Messaging.Topic(topic);
        grantee.GrantPrincipal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["sns:GetTopicAttributes"], Resources = [target.TopicArn] }));
        tell(DeploymentNames.TopicArnSetting + topic, target.TopicArn);
    }

    public void ReadSecret(string setting, ISecret secret)
    {
        secret.GrantRead(grantee);
        tell(DeploymentNames.SecretSetting + setting, secret.SecretArn);
    }

    /// <summary>
    /// The scrape queue and its DLQ at their URLs: the app uses a configured queue as it is, so no
    /// process needs sqs:CreateQueue. Both URLs are always given (the app opens a queue with its
    /// DLQ); the actions on each are what the process may do there.
    /// </summary>
    public void UseQueue(string[] queueActions, string[] deadLetterActions)
    {
        var messaging = props.Messaging;
        messaging.Scrape.Grant(grantee, queueActions);
        if (deadLetterActions.Length > 0) messaging.ScrapeDeadLetters.Grant(grantee, deadLetterActions);
        var setting = DeploymentNames.QueueSetting + AggregationNames.ScrapeQueue;
        tell(setting + DeploymentNames.QueueUrl, messaging.Scrape.QueueUrl);
        tell(setting + DeploymentNames.DeadLetterQueueUrl, messaging.ScrapeDeadLetters.QueueUrl);
    }
}
