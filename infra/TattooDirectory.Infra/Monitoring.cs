using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Infra;

internal sealed record MonitoringProps(Messaging Messaging, AppFunctions Functions, HttpApi Api, StateMachine Workflow);

/// <summary>
/// The alarms of Features/Alarms (product.md §9, §8.6) as CloudWatch alarms, publishing to the
/// critical-alerts and warning-alerts topics on alarm and on recovery, and one dashboard. Where AWS
/// measures a condition itself it is used (SQS depth, the stream mapping's iterator age, API
/// Gateway's 5xx count); otherwise the app's EMF metrics are.
/// </summary>
internal sealed class Monitoring : Construct
{
    /// <summary>AlarmOptions' defaults: the thresholds the local evaluator uses.</summary>
    public static readonly TimeSpan SyncLagThreshold = TimeSpan.FromSeconds(30);
    public const double ErrorRateThreshold = 0.01;
    public static readonly TimeSpan ErrorRateWindow = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan SearchP95Threshold = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan SearchWindow = TimeSpan.FromMinutes(5);
    public const int MinSamples = 20;

    private readonly SnsAction _critical;
    private readonly SnsAction _warning;

    public Monitoring(Construct scope, string id, MonitoringProps props)
        : base(scope, id)
    {
        var (messaging, functions) = (props.Messaging, props.Functions);
        _critical = new SnsAction(messaging.Topic(Topics.CriticalAlerts));
        _warning = new SnsAction(messaging.Topic(Topics.WarningAlerts));
        var minute = Duration.Minutes(1);

        var scrapeDlq = messaging.ScrapeDeadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = minute, Statistic = Stats.MAXIMUM });
        Add("dlq-not-empty-scrape", critical: true, scrapeDlq, 0, "Scrape jobs failed 3 times and wait in the scrape DLQ: redrive them from /admin/queues once the cause is fixed.");

        var syncDlq = messaging.SyncFailures.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = minute, Statistic = Stats.MAXIMUM });
        Add("dlq-not-empty-sync", critical: true, syncDlq, 0, "Stream records the sync gave up on: the index misses these changes until a reindex.");

        // The event source mapping owns the stream position: its iterator age is the sync's lag.
        var iteratorAge = new Metric(new MetricProps
        {
            Namespace = "AWS/Lambda",
            MetricName = "IteratorAge",
            DimensionsMap = new Dictionary<string, string> { ["FunctionName"] = functions.StreamSync.FunctionName },
            Statistic = Stats.MAXIMUM,
            Period = minute,
        });
        Add("sync-lag", critical: false, iteratorAge, SyncLagThreshold.TotalMilliseconds, "The index is more than 30 s behind the table.");

        var window = Duration.Minutes(ErrorRateWindow.TotalMinutes);
        var errorRate = new MathExpression(new MathExpressionProps
        {
            // Too few requests say nothing (AlarmOptions.MinSamples): one failure in three at night is not a 33 % error rate.
            Expression = $"IF(requests >= {MinSamples}, 100 * errors / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["errors"] = props.Api.MetricServerError(new MetricOptions { Period = window, Statistic = Stats.SUM }),
                ["requests"] = props.Api.MetricCount(new MetricOptions { Period = window, Statistic = Stats.SUM }),
            },
            Label = "5xx %",
            Period = window,
        });
        Add("http-5xx-rate", critical: false, errorRate, ErrorRateThreshold * 100, "More than 1 % of requests answered 5xx over 5 minutes.");

        Add("search-p95", critical: false, SearchDuration("p95"), SearchP95Threshold.TotalSeconds, "Search p95 above 500 ms over 5 minutes.");

        var oldestPending = Emf(Metrics.RemovalOldestPendingDays, Stats.MAXIMUM, Duration.Minutes(15));
        Add("removal-sla-at-risk", critical: false, oldestPending, RemovalSla.WarningAfterBusinessDays, "A removal request has waited more than 3 business days.");
        Add("removal-sla-breached", critical: true, oldestPending, RemovalSla.CriticalAfterBusinessDays, "A removal request has waited more than 5 business days: the SLA is broken.");

        Dashboard = BuildDashboard(props, scrapeDlq, syncDlq, iteratorAge, errorRate, oldestPending);
    }

    public List<Alarm> Alarms { get; } = [];

    public Dashboard Dashboard { get; }

    private static Metric Emf(string name, string statistic, Duration period, IDictionary<string, string>? dimensions = null) => new(new MetricProps
    {
        Namespace = MetricNamespace,
        MetricName = name,
        DimensionsMap = dimensions,
        Statistic = statistic,
        Period = period,
    });

    /// <summary>Searches that were served normally; EMF writes the histogram's <c>degraded</c> tag as a dimension.</summary>
    private static Metric SearchDuration(string statistic) =>
        Emf(Metrics.SearchDuration, statistic, Duration.Minutes(SearchWindow.TotalMinutes), new Dictionary<string, string> { [Metrics.Degraded] = "False" });

    private void Add(string name, bool critical, IMetric metric, double threshold, string description)
    {
        var alarm = new Alarm(this, name, new AlarmProps
        {
            AlarmName = $"{Stack.Of(this).StackName}-{name}",
            AlarmDescription = $"{(critical ? "Critical" : "Warning")}: {description}",
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            // No data is no news: the EMF gauges are only written while the app runs.
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        var action = critical ? _critical : _warning;
        alarm.AddAlarmAction(action);
        alarm.AddOkAction(action);
        Alarms.Add(alarm);
    }

    private Dashboard BuildDashboard(MonitoringProps props, IMetric scrapeDlq, IMetric syncDlq, IMetric iteratorAge, IMetric errorRate, IMetric oldestPending)
    {
        var five = Duration.Minutes(5);
        var queue = props.Messaging.Scrape;
        var dashboard = new Dashboard(this, "Dashboard", new DashboardProps { DefaultInterval = Duration.Hours(3) });
        dashboard.AddWidgets(
            new AlarmStatusWidget(new AlarmStatusWidgetProps { Title = "Alarms", Alarms = [.. Alarms], Width = 24, Height = 3 }));
        dashboard.AddWidgets(
            Graph("Requests and 5xx", props.Api.MetricCount(new MetricOptions { Period = five }), props.Api.MetricServerError(new MetricOptions { Period = five })),
            Graph("5xx rate (%)", errorRate),
            Graph("API latency p95 (ms)", props.Api.MetricLatency(new MetricOptions { Period = five, Statistic = "p95" })),
            Graph("Search p50 / p95 (s)", SearchDuration("p50"), SearchDuration("p95")));
        dashboard.AddWidgets(
            Graph("Sync lag (ms)", iteratorAge),
            Graph("Scrape queue", queue.MetricApproximateNumberOfMessagesVisible(), queue.MetricApproximateNumberOfMessagesNotVisible(), queue.MetricApproximateAgeOfOldestMessage()),
            Graph("Dead letters", scrapeDlq, syncDlq),
            Graph("Removal: oldest pending (business days)", oldestPending));
        dashboard.AddWidgets(
            Graph("Scrape outcomes", Search(Metrics.ScrapeOutcomes, "outcome,reason")),
            Graph("Aggregation runs", props.Workflow.MetricSucceeded(), props.Workflow.MetricFailed(), props.Workflow.MetricTimedOut()),
            Graph("Function errors", props.Functions.Api.MetricErrors(), props.Functions.StreamSync.MetricErrors(), props.Functions.Scrape.MetricErrors()),
            Graph("Function throttles", props.Functions.Api.MetricThrottles(), props.Functions.StreamSync.MetricThrottles(), props.Functions.Scrape.MetricThrottles()));
        return dashboard;
    }

    private static GraphWidget Graph(string title, params IMetric[] metrics) =>
        new(new GraphWidgetProps { Title = title, Left = metrics, Width = 6, Height = 6 });

    /// <summary>Every dimension combination of an EMF metric (a dashboard may search; an alarm may not).</summary>
    private static MathExpression Search(string metric, string dimensions) => new(new MathExpressionProps
    {
        Expression = $"SEARCH('{{{MetricNamespace},{dimensions}}} MetricName=\"{metric}\"', 'Sum', 300)",
        Label = metric,
        UsingMetrics = new Dictionary<string, IMetric>(),
        Period = Duration.Minutes(5),
    });
}
