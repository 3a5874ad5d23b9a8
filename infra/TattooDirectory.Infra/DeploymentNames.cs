namespace TattooDirectory.Infra;

/// <summary>
/// The values the stack and the app must agree on but that live in the app project (which the stack
/// does not reference, to keep synth light): the tests compare each with the app's own constant.
/// </summary>
public static class DeploymentNames
{
    /// <summary>The configuration key that picks what a process does; one image, four roles (architecture.md).</summary>
    public const string RoleSetting = "Role";

    public const string ApiRole = "api";
    public const string StreamSyncRole = "stream-sync";
    public const string WorkflowTaskRole = "workflow-task";
    public const string ScrapeRole = "scrape";

    /// <summary>Which Step Functions task a workflow-task function serves (one of the ASL file's <c>${Name}</c>s).</summary>
    public const string WorkflowTaskSetting = "Workflow__Task";

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
