using System.Globalization;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using static System.FormattableString;

namespace TattooDirectory.Core.Removal;

/// <summary>What one SLA check raised.</summary>
public sealed record SlaCheckResult(int Warnings, int Criticals, int OverduePurges)
{
    public int Total => Warnings + Criticals + OverduePurges;
}

/// <summary>
/// Where the pending requests stand against the SLA right now: how many have waited more than
/// <see cref="RemovalSla.WarningAfterBusinessDays"/> (at risk) and more than
/// <see cref="RemovalSla.CriticalAfterBusinessDays"/> (breached) business days, how many approved
/// purges are past their deadline, and the longest wait (0 when nothing is pending).
/// </summary>
public sealed record SlaStanding(int AtRisk, int Breached, int OverduePurges, double OldestWaitBusinessDays);

/// <summary>
/// The removal SLA alarms (product.md §8.6): a pending request waiting more than 3 business days
/// raises a warning, more than 5 a critical alarm; an approved purge not finished a minute after
/// it started raises a critical alarm. Each alarm is recorded on the request in the transaction
/// that enqueues it, with a message id derived from the request, so any number of re-runs (or a
/// crash between them) raises it exactly once.
/// </summary>
/// <remarks>
/// A request first seen past 5 business days (the checker was down) gets only the critical alarm:
/// a warning arriving with it would add nothing.
/// </remarks>
public sealed class RemovalSla(ITable table, TimeProvider time)
{
    public const double WarningAfterBusinessDays = 3;
    public const double CriticalAfterBusinessDays = 5;
    public static readonly TimeSpan PurgeDeadline = TimeSpan.FromMinutes(1);

    private const int WarningLevel = 1;
    private const int CriticalLevel = 2;
    private const string WarningEvent = "sla-warning";
    private const string CriticalEvent = "sla-critical";
    private const string OverdueEvent = "purge-overdue";

    public async Task<SlaCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        int warnings = 0, criticals = 0, overdue = 0;
        await foreach (var request in RemovalOpsUpdates.ByStatusAsync(table, RemovalStatus.Pending, cancellationToken))
        {
            switch ((await RemovalOpsUpdates.ApplyAsync(table, request, r => WaitingAlarm(r, now), now, cancellationToken))?.AuditEvent)
            {
                case WarningEvent: warnings++; break;
                case CriticalEvent: criticals++; break;
            }
        }
        await foreach (var request in RemovalOpsUpdates.ByStatusAsync(table, RemovalStatus.Approved, cancellationToken))
        {
            if (await RemovalOpsUpdates.ApplyAsync(table, request, r => OverduePurgeAlarm(r, now), now, cancellationToken) is not null) overdue++;
        }
        return new SlaCheckResult(warnings, criticals, overdue);
    }

    /// <summary>Reads the standing without changing anything (the alarm evaluator's view: a state, not an event per request).</summary>
    public async Task<SlaStanding> StandingAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        int atRisk = 0, breached = 0, overdue = 0;
        var oldest = 0.0;
        await foreach (var request in RemovalOpsUpdates.ByStatusAsync(table, RemovalStatus.Pending, cancellationToken))
        {
            var waited = UkBusinessDays.Between(request.CreatedAt, now);
            oldest = Math.Max(oldest, waited);
            if (waited > WarningAfterBusinessDays) atRisk++;
            if (waited > CriticalAfterBusinessDays) breached++;
        }
        await foreach (var request in RemovalOpsUpdates.ByStatusAsync(table, RemovalStatus.Approved, cancellationToken))
        {
            if (request.Purge is { CompletedAt: null } purge && now - purge.StartedAt > PurgeDeadline) overdue++;
        }
        return new SlaStanding(atRisk, breached, overdue, oldest);
    }

    private static RequestChange? WaitingAlarm(RemovalRequest request, DateTimeOffset now)
    {
        if (request.Status != RemovalStatus.Pending) return null;
        var waited = UkBusinessDays.Between(request.CreatedAt, now);
        var level = waited > CriticalAfterBusinessDays ? CriticalLevel : waited > WarningAfterBusinessDays ? WarningLevel : 0;
        if (level <= request.SlaAlertLevel) return null;

        var (topic, alarm, limit) = level == CriticalLevel
            ? (Topics.CriticalAlerts, CriticalEvent, CriticalAfterBusinessDays)
            : (Topics.WarningAlerts, WarningEvent, WarningAfterBusinessDays);
        var days = Format(waited);
        var message = Alarm(request, alarm,
            Invariant($"Removal request {request.RequestId} has waited {days} business days"),
            Invariant($"Waiting for a decision: {days} business days since {request.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z (alarm after {limit}; the SLA is {CriticalAfterBusinessDays})."));
        return new RequestChange(request with { SlaAlertLevel = level }, alarm, $"business-days={days}",
            [Outbox.Publish(topic, message, $"{request.RequestId}:{alarm}", now)]);
    }

    private static RequestChange? OverduePurgeAlarm(RemovalRequest request, DateTimeOffset now)
    {
        if (request.Status != RemovalStatus.Approved || request.PurgeOverdueAlerted) return null;
        if (request.Purge is not { CompletedAt: null } purge || now - purge.StartedAt <= PurgeDeadline) return null;

        var minutes = Format((now - purge.StartedAt).TotalMinutes);
        var message = Alarm(request, OverdueEvent,
            Invariant($"Removal request {request.RequestId}: purge unfinished after {minutes} minutes"),
            Invariant($"The purge started at {purge.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z and its last finished step is '{purge.Step}' (deadline {PurgeDeadline.TotalMinutes} minute)."));
        return new RequestChange(request with { PurgeOverdueAlerted = true }, OverdueEvent, $"minutes={minutes}; step={purge.Step}",
            [Outbox.Publish(Topics.CriticalAlerts, message, $"{request.RequestId}:{OverdueEvent}", now)]);
    }

    /// <summary>Alarms carry the request id, its type and numbers only: never the requester's or the artist's details.</summary>
    private static Notification Alarm(RemovalRequest request, string alarm, string subject, string detail) => new(
        subject,
        $"Request: {request.RequestId}\nType: {RemovalNames.Of(request.Type)}\n{detail}",
        new Dictionary<string, string>
        {
            ["alarm"] = alarm,
            ["requestId"] = request.RequestId,
            ["requestType"] = RemovalNames.Of(request.Type),
        });

    private static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
