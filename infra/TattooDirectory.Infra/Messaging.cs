using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Infra;

/// <summary>
/// The scrape queue with its DLQ (product.md §7), the queue the stream sync sends a batch it gave up
/// on, and one SNS topic per <see cref="Topics"/> name.
/// </summary>
internal sealed class Messaging : Construct
{
    public static readonly Duration Retention = Duration.Seconds(AggregationNames.ScrapeQueueSettings.Retention.TotalSeconds);

    public Messaging(Construct scope, string id, IKey key)
        : base(scope, id)
    {
        var settings = AggregationNames.ScrapeQueueSettings;
        ScrapeDeadLetters = new Queue(this, "ScrapeDlq", new QueueProps
        {
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        Scrape = new Queue(this, "Scrape", new QueueProps
        {
            VisibilityTimeout = Duration.Seconds(settings.VisibilityTimeout.TotalSeconds),
            RetentionPeriod = Retention,
            ReceiveMessageWaitTime = Duration.Seconds(20),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = ScrapeDeadLetters, MaxReceiveCount = settings.MaxReceiveCount },
        });

        // Where the stream mapping records a batch it could not apply (product.md §6's sync dead-letter store in AWS).
        SyncFailures = new Queue(this, "SyncFailures", new QueueProps
        {
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });

        // Removal requests carry the requester's contact data: topics are encrypted with the stack's key,
        // which CloudWatch may use so that alarms can still publish to the alert topics.
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublishToEncryptedTopics",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));
        foreach (var name in Topics.All)
        {
            TopicsByName[name] = new Topic(this, "Topic-" + name, new TopicProps
            {
                DisplayName = "Tattoo Directory " + name,
                MasterKey = key,
                EnforceSSL = true,
            });
        }
    }

    public Queue Scrape { get; }

    public Queue ScrapeDeadLetters { get; }

    public Queue SyncFailures { get; }

    public Dictionary<string, Topic> TopicsByName { get; } = new(StringComparer.Ordinal);

    public Topic Topic(string name) => TopicsByName[name];
}
