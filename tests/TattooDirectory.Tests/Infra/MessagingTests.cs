using Amazon.CDK.Assertions;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Tests.Infra;

/// <summary>The scrape queue and its DLQ, the sync failure queue and the notification topics.</summary>
[Collection(InfraCollection.Name)]
public sealed class MessagingTests(SynthesizedStack stack)
{
    private static readonly int Retention = (int)AggregationNames.ScrapeQueueSettings.Retention.TotalSeconds;

    [Fact]
    public void The_scrape_queue_has_the_apps_visibility_and_retention_and_moves_a_job_to_its_DLQ_after_3_receives()
    {
        var settings = AggregationNames.ScrapeQueueSettings;
        var scrape = Assert.Single(stack.OfType("AWS::SQS::Queue"), q => q.Properties["RedrivePolicy"] is not null).Properties;
        var dlq = (string)scrape["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!;

        Assert.Equal(300, (int)scrape["VisibilityTimeout"]!);
        Assert.Equal((int)settings.VisibilityTimeout.TotalSeconds, (int)scrape["VisibilityTimeout"]!);
        Assert.Equal(3, (int)scrape["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.Equal(settings.MaxReceiveCount, (int)scrape["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.Equal(14 * 24 * 3600, (int)scrape["MessageRetentionPeriod"]!);
        Assert.Equal("AWS::SQS::Queue", (string)stack.Resources[dlq]!["Type"]!);
        Assert.Equal(Retention, (int)stack.Resources[dlq]!["Properties"]!["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void There_are_three_queues_all_encrypted_and_kept_14_days_the_scrape_queue_its_DLQ_and_the_sync_failures()
    {
        var queues = stack.OfType("AWS::SQS::Queue").ToList();

        Assert.Equal(3, queues.Count);
        Assert.All(queues, q => Assert.True((bool)q.Properties["SqsManagedSseEnabled"]!));
        Assert.All(queues, q => Assert.Equal(Retention, (int)q.Properties["MessageRetentionPeriod"]!));
    }

    [Fact]
    public void Every_queue_refuses_plain_http()
    {
        var policies = stack.OfType("AWS::SQS::QueuePolicy").ToList();

        Assert.Equal(3, policies.Count);
        Assert.All(policies, p => Assert.Contains(p.Properties["PolicyDocument"]!["Statement"]!.AsArray(),
            s => (string?)s!["Effect"] == "Deny" && (string?)s["Condition"]?["Bool"]?["aws:SecureTransport"] == "false"));
    }

    [Fact]
    public void There_is_one_topic_per_app_topic_each_encrypted_with_the_stack_key()
    {
        var topics = stack.OfType("AWS::SNS::Topic").ToList();

        Assert.Equal(Topics.All.Order(StringComparer.Ordinal), topics.Select(t => ((string)t.Properties["DisplayName"]!).Replace("Tattoo Directory ", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(topics, t => Assert.NotNull(t.Properties["KmsMasterKeyId"]));
    }

    [Fact]
    public void CloudWatch_may_use_the_stack_key_so_alarms_can_publish_to_the_encrypted_alert_topics()
    {
        stack.Template.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["KeyPolicy"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "cloudwatch.amazonaws.com" },
                        ["Action"] = new object[] { "kms:Decrypt", "kms:GenerateDataKey*" },
                    }),
                }),
            }),
        });
    }
}
