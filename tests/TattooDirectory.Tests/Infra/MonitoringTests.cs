using System.Text.Json.Nodes;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Alarms;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;
using TattooDirectory.Infra;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Tests.Infra;

/// <summary>The CloudWatch alarms mirror Features/Alarms and publish to the alert topics; the dashboard shows them.</summary>
[Collection(InfraCollection.Name)]
public sealed class MonitoringTests(SynthesizedStack stack)
{
    private JsonObject Alarm(string name) =>
        Assert.Single(stack.OfType("AWS::CloudWatch::Alarm"), a => (string?)a.Properties["AlarmName"] == "TattooDirectory-" + name).Properties;

    private string TopicId(string topic) =>
        Assert.Single(stack.OfType("AWS::SNS::Topic"), t => (string?)t.Properties["DisplayName"] == "Tattoo Directory " + topic).Id;

    private void AssertPublishesTo(JsonObject alarm, string topic)
    {
        var expected = new JsonObject { ["Ref"] = TopicId(topic) }.ToJsonString();
        Assert.Equal(expected, Assert.Single(alarm["AlarmActions"]!.AsArray())!.ToJsonString());
        Assert.Equal(expected, Assert.Single(alarm["OKActions"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public void There_is_an_alarm_for_each_rule_of_the_app_and_none_else()
    {
        var names = stack.OfType("AWS::CloudWatch::Alarm").Select(a => (string)a.Properties["AlarmName"]!).Order(StringComparer.Ordinal);

        Assert.Equal(
            new[] { "dlq-not-empty-scrape", "dlq-not-empty-sync", "http-5xx-rate", "removal-sla-at-risk", "removal-sla-breached", "search-p95", "sync-lag" }.Select(n => "TattooDirectory-" + n),
            names);
    }

    [Fact]
    public void A_message_in_the_scrape_DLQ_raises_a_critical_alert()
    {
        var alarm = Alarm("dlq-not-empty-scrape");
        var dlq = (string)stack.Resources.Single(r => (string?)r.Value!["Type"] == "AWS::SQS::Queue" && r.Value["Properties"]!["RedrivePolicy"] is not null)
            .Value!["Properties"]!["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!;

        Assert.Equal("AWS/SQS", (string)alarm["Namespace"]!);
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string)alarm["MetricName"]!);
        Assert.Equal(dlq, (string)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!);
        Assert.Equal("GreaterThanThreshold", (string)alarm["ComparisonOperator"]!);
        Assert.Equal(0, (double)alarm["Threshold"]!);
        AssertPublishesTo(alarm, Topics.CriticalAlerts);
    }

    [Fact]
    public void A_record_the_stream_sync_gave_up_on_raises_a_critical_alert()
    {
        var alarm = Alarm("dlq-not-empty-sync");

        Assert.Equal("ApproximateNumberOfMessagesVisible", (string)alarm["MetricName"]!);
        Assert.Contains("SyncFailures", (string)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!, StringComparison.Ordinal);
        Assert.Equal(0, (double)alarm["Threshold"]!);
        AssertPublishesTo(alarm, Topics.CriticalAlerts);
    }

    [Fact]
    public void Sync_lag_above_the_apps_threshold_warns_from_the_stream_sync_iterator_age()
    {
        var alarm = Alarm("sync-lag");

        Assert.Equal(("AWS/Lambda", "IteratorAge", "Maximum"), ((string)alarm["Namespace"]!, (string)alarm["MetricName"]!, (string)alarm["Statistic"]!));
        Assert.Equal(stack.FunctionId(StreamSyncRole), (string)alarm["Dimensions"]![0]!["Value"]!["Ref"]!);
        Assert.Equal(new AlarmOptions().SyncLagThreshold.TotalMilliseconds, (double)alarm["Threshold"]!);
        AssertPublishesTo(alarm, Topics.WarningAlerts);
    }

    [Fact]
    public void More_than_1_percent_5xx_over_5_minutes_warns_once_there_are_enough_requests()
    {
        var options = new AlarmOptions();
        var alarm = Alarm("http-5xx-rate");
        var metrics = alarm["Metrics"]!.AsArray();

        Assert.Equal($"IF(requests >= {options.MinSamples}, 100 * errors / requests, 0)", (string)metrics[0]!["Expression"]!);
        Assert.Equal(options.ErrorRateThreshold * 100, (double)alarm["Threshold"]!);
        Assert.All(metrics.Skip(1), m => Assert.Equal(options.ErrorRateWindow.TotalSeconds, (int)m!["MetricStat"]!["Period"]!));
        Assert.Equal("5xx", (string)metrics.Single(m => (string?)m!["Id"] == "errors")!["MetricStat"]!["Metric"]!["MetricName"]!);
        Assert.Equal("Count", (string)metrics.Single(m => (string?)m!["Id"] == "requests")!["MetricStat"]!["Metric"]!["MetricName"]!);
        AssertPublishesTo(alarm, Topics.WarningAlerts);
    }

    [Fact]
    public void Search_p95_above_500_ms_over_5_minutes_warns_from_the_apps_EMF_histogram()
    {
        var options = new AlarmOptions();
        var alarm = Alarm("search-p95");

        Assert.Equal(new TelemetryOptions().EmfNamespace, (string)alarm["Namespace"]!);
        Assert.Equal(MetricNames.SearchDuration, (string)alarm["MetricName"]!);
        Assert.Equal(MetricNames.Degraded, (string)alarm["Dimensions"]![0]!["Name"]!);
        Assert.Equal(false.ToString(), (string)alarm["Dimensions"]![0]!["Value"]!);
        Assert.Equal("p95", (string)alarm["ExtendedStatistic"]!);
        Assert.Equal(options.SearchWindow.TotalSeconds, (int)alarm["Period"]!);
        Assert.Equal(options.SearchP95Threshold.TotalSeconds, (double)alarm["Threshold"]!);
        AssertPublishesTo(alarm, Topics.WarningAlerts);
    }

    [Fact]
    public void A_removal_request_waiting_over_3_business_days_warns_and_over_5_is_critical()
    {
        var atRisk = Alarm("removal-sla-at-risk");
        var breached = Alarm("removal-sla-breached");

        Assert.All(new[] { atRisk, breached }, a => Assert.Equal(MetricNames.RemovalOldestPendingDays, (string)a["MetricName"]!));
        Assert.Equal(RemovalSla.WarningAfterBusinessDays, (double)atRisk["Threshold"]!);
        Assert.Equal(RemovalSla.CriticalAfterBusinessDays, (double)breached["Threshold"]!);
        AssertPublishesTo(atRisk, Topics.WarningAlerts);
        AssertPublishesTo(breached, Topics.CriticalAlerts);
    }

    [Fact]
    public void The_stacks_metric_names_are_the_apps()
    {
        Assert.Equal(
            [MetricNames.SearchDuration, MetricNames.SyncLag, MetricNames.QueueDepth, MetricNames.ScrapeOutcomes, MetricNames.WorkflowRuns, MetricNames.RemovalOldestPendingDays, MetricNames.Degraded],
            [Metrics.SearchDuration, Metrics.SyncLag, Metrics.QueueDepth, Metrics.ScrapeOutcomes, Metrics.WorkflowRuns, Metrics.RemovalOldestPendingDays, Metrics.Degraded]);
        Assert.Equal(MetricNamespace, new TelemetryOptions().EmfNamespace);
    }

    [Fact]
    public void The_dashboard_shows_the_alarms_and_the_apps_metrics()
    {
        var dashboard = Assert.Single(stack.OfType("AWS::CloudWatch::Dashboard")).Properties;
        var body = dashboard["DashboardBody"]!.ToJsonString();

        Assert.Contains("alarms", body, StringComparison.Ordinal);
        Assert.All(new[] { MetricNames.SearchDuration, MetricNames.ScrapeOutcomes, MetricNames.RemovalOldestPendingDays, "IteratorAge", "ApproximateNumberOfMessagesVisible", "5xx" },
            metric => Assert.Contains(metric, body, StringComparison.Ordinal));
    }
}
