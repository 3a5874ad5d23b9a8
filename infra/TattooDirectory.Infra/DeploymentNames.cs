namespace TattooDirectory.Infra;

/// <summary>
/// The values the stack and the app must agree on but that live in the app project (which the stack
/// does not reference, to keep synth light): the tests compare each with the app's own constant.
/// </summary>
public static class DeploymentNames
{
    /// <summary>RolesOptions' key: what a process does (Hosting/Roles.cs); one image, a role per function.</summary>
    public const string RoleSetting = "Roles";

    public const string ApiRole = "api";

    /// <summary>RolesOptions.StreamHandler: the DynamoDB stream event handler (not "sync", the container's shard poller).</summary>
    public const string StreamSyncRole = "stream-handler";

    /// <summary>RolesOptions.Workers: the outbox relay, the purge, removal operations (a container, not a function).</summary>
    public const string WorkersRole = "workers";

    /// <summary>RolesOptions.WorkflowTask: one task of the aggregation definition.</summary>
    public const string WorkflowTaskRole = "workflow-task";

    /// <summary>RolesOptions.ScrapeHandler: SQS batches from the event source mapping (not "scrape", the container's queue poller).</summary>
    public const string ScrapeRole = "scrape-handler";

    /// <summary>StepFunctionsOptions.Task: which task a workflow-task function serves (one of the ASL file's <c>${Name}</c>s).</summary>
    public const string WorkflowTaskSetting = "Aws__StepFunctions__Task";

    /// <summary>AwsOptions.Region: the region the app signs for and calls, the stack's own.</summary>
    public const string RegionSetting = "Aws__Region";

    /// <summary>SnsOptions.TopicArns, followed by the topic's name.</summary>
    public const string TopicArnSetting = "Aws__Sns__TopicArns__";

    /// <summary>StepFunctionsOptions.StateMachineArns, followed by the workflow's name.</summary>
    public const string StateMachineArnSetting = "Aws__StepFunctions__StateMachineArns__";

    /// <summary>SqsOptions.Queues, followed by the queue's name and then <see cref="QueueUrl"/> or <see cref="DeadLetterQueueUrl"/>.</summary>
    public const string QueueSetting = "Aws__Sqs__Queues__";

    public const string QueueUrl = "__Url";
    public const string DeadLetterQueueUrl = "__DeadLetterUrl";

    /// <summary>AwsSecrets.Section: followed by a setting, holds the ARN of the secret whose value the app reads into that setting at start.</summary>
    public const string SecretSetting = "Secrets__";

    /// <summary>ScrapeOptions.JobTimeout: a job must end before its function's timeout, or the whole batch fails with it.</summary>
    public const string ScrapeJobTimeoutSetting = "Aggregation__Scrape__JobTimeout";

    /// <summary>
    /// The Lambda Web Adapter's settings (read by the adapter, not by the app): where it posts a
    /// non-HTTP event (RolesOptions' *EventsPath), and which answers fail the invocation.
    /// </summary>
    public static class WebAdapter
    {
        public const string PassThroughPathSetting = "AWS_LWA_PASS_THROUGH_PATH";
        public const string ErrorStatusCodesSetting = "AWS_LWA_ERROR_STATUS_CODES";

        public const string StreamEventsPath = "/events/dynamodb-stream";
        public const string ScrapeEventsPath = "/events/scrape";
        public const string WorkflowTaskEventsPath = "/events/workflow-task";

        /// <summary>Every error answer of the event endpoints (a malformed event, a failed task) fails the invocation, so Lambda retries it.</summary>
        public const string ErrorStatusCodes = "400-599";
    }

    /// <summary>SchedulingOptions' aggregation-daily rule: product.md §7, daily at 02:00 UTC.</summary>
    public const string AggregationSchedule = "cron(0 2 * * ? *)";

    /// <summary>TelemetryOptions.EmfNamespace's default: where the EMF lines' metrics land.</summary>
    public const string MetricNamespace = "TattooDirectory";

    /// <summary>MetricNames (Hosting/Telemetry.cs) that the alarms and the dashboard read.</summary>
    public static class Metrics
    {
        public const string SearchDuration = "directory.search.duration";
        public const string SyncLag = "directory.sync.lag";
        public const string QueueDepth = "directory.queue.depth";
        public const string ScrapeOutcomes = "directory.scrape.outcomes";
        public const string WorkflowRuns = "directory.workflow.runs";
        public const string RemovalOldestPendingDays = "directory.removal.oldest_pending_days";

        /// <summary>The search histogram's one tag; EMF writes a bool tag as <c>True</c>/<c>False</c>.</summary>
        public const string Degraded = "degraded";
    }
}
