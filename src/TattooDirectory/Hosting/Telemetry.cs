using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TattooDirectory.Hosting;

/// <summary>The app's one activity source, named once; its meter is <see cref="DirectoryMetrics"/>.</summary>
public static class Telemetry
{
    public const string Name = "TattooDirectory";
    public static readonly ActivitySource Source = new(Name);
}

/// <summary>
/// The directory's meter and the instruments recorded as things happen. Made by the host's
/// <see cref="IMeterFactory"/>, so each app instance (and each test host in one process) has its
/// own meter, and a listener can tell them apart by <see cref="Meter.Scope"/>. Gauges that read
/// state (queue depths, sync lag, removal requests) are observed by their own features on
/// <see cref="Meter"/>.
/// </summary>
public sealed class DirectoryMetrics
{
    public DirectoryMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(Telemetry.Name);
        SearchDuration = Meter.CreateHistogram<double>(MetricNames.SearchDuration, "s", "Time to serve one search.");
        SyncFailures = Meter.CreateCounter<long>(MetricNames.SyncFailures, "{change}", "Changes the sync could not apply.");
        ScrapeOutcomes = Meter.CreateCounter<long>(MetricNames.ScrapeOutcomes, "{job}", "Scrape jobs settled, by outcome.");
        WorkflowRuns = Meter.CreateCounter<long>(MetricNames.WorkflowRuns, "{execution}", "Workflow executions that ended, by status.");
        WorkflowStateDuration = Meter.CreateHistogram<double>(MetricNames.WorkflowStateDuration, "s", "Time spent in one state of an execution.");
    }

    public Meter Meter { get; }

    public Histogram<double> SearchDuration { get; }

    public Counter<long> SyncFailures { get; }

    public Counter<long> ScrapeOutcomes { get; }

    public Counter<long> WorkflowRuns { get; }

    public Histogram<double> WorkflowStateDuration { get; }
}

/// <summary>
/// The names of the directory's own instruments (on <see cref="Telemetry.Meter"/>) and of the tags
/// they carry: the one list the features record into, and the dashboard, the alarms and the
/// exporters read from. HTTP requests are ASP.NET Core's own <c>http.server.request.duration</c>
/// (meter <c>Microsoft.AspNetCore.Hosting</c>). Durations are in seconds, as OpenTelemetry's
/// semantic conventions have them.
/// </summary>
public static class MetricNames
{
    /// <summary>Histogram (s): one search served, from query to results. Tag <see cref="Degraded"/>.</summary>
    public const string SearchDuration = "directory.search.duration";

    /// <summary>Gauge (s): how far the index is behind the store (age of the oldest change not yet applied; 0 when caught up).</summary>
    public const string SyncLag = "directory.sync.lag";

    /// <summary>Counter: changes the sync could not apply (each retry that fails, and each dead-lettered change). Tag <see cref="Reason"/>.</summary>
    public const string SyncFailures = "directory.sync.failures";

    /// <summary>Gauge: messages in a queue. Tags <see cref="Queue"/> and <see cref="QueueState"/> (visible, in_flight, delayed).</summary>
    public const string QueueDepth = "directory.queue.depth";

    /// <summary>Gauge (s): age of the oldest message in a queue. Tag <see cref="Queue"/>.</summary>
    public const string QueueOldestAge = "directory.queue.oldest_age";

    /// <summary>Gauge: messages in a queue's dead-letter queue. Tag <see cref="Queue"/>.</summary>
    public const string QueueDeadLetters = "directory.queue.dead_letters";

    /// <summary>Counter: scrape jobs settled. Tags <see cref="Outcome"/> (new, updated, unchanged, skipped_robots, skipped_denied, failed) and <see cref="Reason"/>.</summary>
    public const string ScrapeOutcomes = "directory.scrape.outcomes";

    /// <summary>Counter: workflow executions that ended. Tags <see cref="StateMachine"/> and <see cref="Status"/> (succeeded, failed, timed_out, aborted).</summary>
    public const string WorkflowRuns = "directory.workflow.runs";

    /// <summary>Histogram (s): time spent in one state of an execution. Tags <see cref="StateMachine"/> and <see cref="State"/>.</summary>
    public const string WorkflowStateDuration = "directory.workflow.state.duration";

    /// <summary>Gauge: removal requests by <see cref="Status"/> (pending, approved, rejected, completed).</summary>
    public const string RemovalRequests = "directory.removal.requests";

    /// <summary>Gauge (UK business days): how long the oldest pending removal request has waited (0 when none).</summary>
    public const string RemovalOldestPendingDays = "directory.removal.oldest_pending_days";

    // Tag names.
    public const string Degraded = "degraded";
    public const string Reason = "reason";
    public const string Queue = "queue";
    public const string QueueState = "state";
    public const string Outcome = "outcome";
    public const string StateMachine = "state_machine";
    public const string State = "state";
    public const string Status = "status";
}
