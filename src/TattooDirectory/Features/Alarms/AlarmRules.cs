using System.Globalization;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;
using TattooDirectory.Features.Sync;
using static System.FormattableString;

namespace TattooDirectory.Features.Alarms;

public enum AlarmSeverity
{
    Warning,
    Critical,
}

/// <summary>What a rule found: whether the alarm condition holds, and why, in counts and durations only.</summary>
public sealed record AlarmCheck(bool Breached, string Reason);

/// <summary>
/// One alarm: a condition read from the running system. <paramref name="active"/> in
/// <see cref="CheckAsync"/> says whether the alarm is raised now, so a numeric rule can clear
/// below a lower value than the one that raised it.
/// </summary>
public interface IAlarmRule
{
    string Name { get; }

    AlarmSeverity Severity { get; }

    Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken);
}

/// <summary>Hysteresis shared by the numeric rules: raise above the threshold, clear only below <see cref="AlarmOptions.ClearAt"/> of it.</summary>
internal static class Threshold
{
    public static bool Breached(double value, double threshold, bool active, double clearAt) =>
        active ? value >= threshold * clearAt : value > threshold;

    public static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Critical while a queue's DLQ holds anything (product.md §9 "DLQ not empty").</summary>
internal sealed class QueueDeadLettersRule(string queue, QueueSettings settings, IQueues queues) : IAlarmRule
{
    public string Name => $"dlq-not-empty:{queue}";

    public AlarmSeverity Severity => AlarmSeverity.Critical;

    public async Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        var stats = await queues.Get(queue, settings).GetStatsAsync(cancellationToken);
        return new AlarmCheck(stats.DeadLetters > 0, Invariant($"{stats.DeadLetters} messages in the {queue} DLQ"));
    }
}

/// <summary>Critical while the sync's dead-letter store holds a change it could not apply (product.md §6).</summary>
internal sealed class SyncDeadLettersRule(ITable table) : IAlarmRule
{
    private const int CountUpTo = 100;

    public string Name => "dlq-not-empty:sync";

    public AlarmSeverity Severity => AlarmSeverity.Critical;

    public async Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        var page = await table.QueryAsync(new TableQuery(Keys.SyncDeadLetterPk) { Limit = CountUpTo }, cancellationToken);
        var count = page.NextCursor is null ? Invariant($"{page.Items.Count}") : Invariant($"{CountUpTo}+");
        return new AlarmCheck(page.Items.Count > 0, $"{count} changes in the sync dead-letter store");
    }
}

/// <summary>Warning while the index is further behind the store than the threshold: the age of the oldest change not yet applied.</summary>
internal sealed class SyncLagRule(SyncStatus status, IChangeStream stream, TimeProvider time, IOptions<AlarmOptions> options) : IAlarmRule
{
    public string Name => "sync-lag";

    public AlarmSeverity Severity => AlarmSeverity.Warning;

    public async Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        // Before its first pass the worker reports position 0; the checkpoint is where it resumes.
        var applied = Math.Max(status.Position, await stream.GetCheckpointAsync(IndexSync.Consumer, cancellationToken));
        var next = await stream.ReadAsync(applied, 1, cancellationToken);
        var lag = next.Count == 0 ? TimeSpan.Zero : time.GetUtcNow() - next[0].CommittedAt;
        if (lag < TimeSpan.Zero) lag = TimeSpan.Zero;
        var threshold = options.Value.SyncLagThreshold;
        return new AlarmCheck(
            Threshold.Breached(lag.TotalSeconds, threshold.TotalSeconds, active, options.Value.ClearAt),
            Invariant($"the index is {Threshold.Number(lag.TotalSeconds)} s behind the store (alarm above {Threshold.Number(threshold.TotalSeconds)} s)"));
    }
}

/// <summary>Warning while more than the threshold share of the window's requests answered 5xx.</summary>
internal sealed class ErrorRateRule(RequestSignals signals, IOptions<AlarmOptions> options) : IAlarmRule
{
    public string Name => "http-5xx-rate";

    public AlarmSeverity Severity => AlarmSeverity.Warning;

    public Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var rate = signals.ErrorRate();
        var minutes = Threshold.Number(o.ErrorRateWindow.TotalMinutes);
        if (rate.Requests < o.MinSamples)
        {
            return Task.FromResult(new AlarmCheck(false, Invariant($"{rate.Requests} requests in the last {minutes} min, too few to judge (at least {o.MinSamples})")));
        }

        return Task.FromResult(new AlarmCheck(
            Threshold.Breached(rate.Share, o.ErrorRateThreshold, active, o.ClearAt),
            Invariant($"{Threshold.Number(rate.Share * 100, "0.##")} % of {rate.Requests} requests answered 5xx in the last {minutes} min (alarm above {Threshold.Number(o.ErrorRateThreshold * 100, "0.##")} %)")));
    }
}

/// <summary>Warning while the window's 95th-percentile search time is over the threshold.</summary>
internal sealed class SearchLatencyRule(RequestSignals signals, IOptions<AlarmOptions> options) : IAlarmRule
{
    public string Name => "search-p95";

    public AlarmSeverity Severity => AlarmSeverity.Warning;

    public Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var latency = signals.SearchLatency();
        var minutes = Threshold.Number(o.SearchWindow.TotalMinutes);
        if (latency.Searches < o.MinSamples)
        {
            return Task.FromResult(new AlarmCheck(false, Invariant($"{latency.Searches} searches in the last {minutes} min, too few to judge (at least {o.MinSamples})")));
        }

        return Task.FromResult(new AlarmCheck(
            Threshold.Breached(latency.P95.TotalMilliseconds, o.SearchP95Threshold.TotalMilliseconds, active, o.ClearAt),
            Invariant($"search p95 {Threshold.Number(latency.P95.TotalMilliseconds, "0")} ms over {latency.Searches} searches in the last {minutes} min (alarm above {Threshold.Number(o.SearchP95Threshold.TotalMilliseconds, "0")} ms)")));
    }
}

/// <summary>
/// The removal SLA (product.md §8.6) as two states: at risk (warning) while a pending request has
/// waited more than 3 business days, breached (critical) while one has waited more than 5 or an
/// approved purge is past its minute. Counts only: never who asked or about whom.
/// </summary>
internal sealed class RemovalSlaRule(RemovalSla sla, bool breached) : IAlarmRule
{
    public string Name => breached ? "removal-sla-breached" : "removal-sla-at-risk";

    public AlarmSeverity Severity => breached ? AlarmSeverity.Critical : AlarmSeverity.Warning;

    public async Task<AlarmCheck> CheckAsync(bool active, CancellationToken cancellationToken)
    {
        var standing = await sla.StandingAsync(cancellationToken);
        var oldest = Threshold.Number(standing.OldestWaitBusinessDays, "0.0");
        if (!breached)
        {
            return new AlarmCheck(standing.AtRisk > 0,
                Invariant($"{standing.AtRisk} pending removal requests waited more than {RemovalSla.WarningAfterBusinessDays} business days (oldest {oldest})"));
        }

        return new AlarmCheck(standing.Breached + standing.OverduePurges > 0,
            Invariant($"{standing.Breached} pending removal requests waited more than {RemovalSla.CriticalAfterBusinessDays} business days (oldest {oldest}); {standing.OverduePurges} approved purges past {RemovalSla.PurgeDeadline.TotalMinutes} minute"));
    }
}
