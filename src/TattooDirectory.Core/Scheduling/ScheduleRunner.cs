using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Core.Scheduling;

/// <summary>
/// Fires the rules of a <see cref="ScheduleBook"/> that are due, by starting their state machines.
/// To fire, an instance first claims the occurrence with a conditional write of the rule's item
/// (of several instances sharing the store exactly one succeeds), then starts the execution named
/// after the occurrence, then records the fire. A rule that missed several occurrences (the
/// process was down) fires once, for the first one it missed, and then keeps to its schedule.
/// </summary>
public sealed partial class ScheduleRunner(ScheduleBook book, IWorkflowEngine engine, TimeProvider time, ILogger<ScheduleRunner> logger)
{
    /// <summary>How long a claim may stand unrecorded before another instance takes it over (its holder is presumed dead).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    /// <summary>When a rule whose pass failed (store or engine unavailable) is looked at again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    private const int MaxAttempts = 10;

    /// <summary>Names this runner's claims: a restarted process is a new instance and waits out its predecessor's claims.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Fires every enabled rule that is due now and returns when a rule next needs attention (its
    /// next occurrence, or a retry), null when none does. A rule that fails is logged and retried
    /// after <see cref="RetryDelay"/> without holding up the others.
    /// </summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset? wake = null;
        foreach (var rule in book.Rules)
        {
            DateTimeOffset? next;
            try
            {
                next = await RunRuleAsync(rule, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogRuleFailed(logger, rule.Name, ex.GetType().Name, RetryDelay.TotalSeconds);
                next = time.GetUtcNow() + RetryDelay;
            }

            if (next is { } at && (wake is null || at < wake)) wake = at;
        }

        return wake;
    }

    private async Task<DateTimeOffset?> RunRuleAsync(ScheduleRule rule, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var state = await book.ReadAsync(rule.Name, cancellationToken) ?? ScheduleBook.New(rule);
            if (state.Claim is { } claim)
            {
                // Ours is a start that failed and is retried; another's is waited for until it looks abandoned.
                var mine = claim.ClaimedBy == _instance;
                var takeOverAt = claim.ClaimedAt + ClaimTimeout;
                if (!mine && now < takeOverAt) return takeOverAt;
                if (!mine) LogTakeOver(logger, rule.Name, claim.Occurrence);
                var held = mine ? state : await book.TryWriteAsync(state with { Claim = claim with { ClaimedAt = now, ClaimedBy = _instance } }, cancellationToken);
                if (held is not null) await FireAsync(rule, held, cancellationToken);
                continue;
            }

            var settled = ScheduleBook.Settle(rule, state, now);
            if (settled != state)
            {
                if (await book.TryWriteAsync(settled, cancellationToken) is null) continue;
                state = settled;
            }

            if (!ScheduleBook.IsEnabled(rule, state) || state.NextDue is not { } due) return null;
            if (due > now) return due;

            // Everything missed up to now is this one fire; the schedule resumes after now.
            var claimed = await book.TryWriteAsync(state with { Claim = new ScheduleClaim(due, now, _instance), NextDue = rule.Expression.NextAfter(now, anchor: due) }, cancellationToken);
            if (claimed is not null) await FireAsync(rule, claimed, cancellationToken);
        }

        // Other writers kept winning: look again shortly.
        return time.GetUtcNow() + TimeSpan.FromSeconds(1);
    }

    private async Task FireAsync(ScheduleRule rule, ScheduleState claimed, CancellationToken cancellationToken)
    {
        var occurrence = claimed.Claim!.Occurrence;
        var name = rule.ExecutionName(occurrence);
        string? arn = null;
        string? error = null;
        try
        {
            arn = (await engine.StartExecutionAsync(rule.Target, rule.Input, name, cancellationToken)).ExecutionArn;
            LogFired(logger, rule.Name, occurrence, name);
        }
        catch (ExecutionAlreadyExistsException)
        {
            // Started before a crash (or by an instance that took longer than the claim timeout), and has finished since.
            LogStartedBefore(logger, rule.Name, name);
        }
        catch (KeyNotFoundException)
        {
            error = $"No state machine is named '{rule.Target}'.";
            LogCannotStart(logger, rule.Name, name, nameof(KeyNotFoundException));
        }
        catch (ArgumentException ex)
        {
            error = $"The workflow engine refused the execution ({ex.GetType().Name}).";
            LogCannotStart(logger, rule.Name, name, ex.GetType().Name);
        }

        // Any other failure leaves the claim ours: the next pass starts the same name again.
        await RecordAsync(rule, claimed, arn, error, cancellationToken);
    }

    private async Task RecordAsync(ScheduleRule rule, ScheduleState claimed, string? arn, string? error, CancellationToken cancellationToken)
    {
        var occurrence = claimed.Claim!.Occurrence;
        var current = claimed;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var fired = current with { Claim = null, LastFireAt = time.GetUtcNow(), LastOccurrence = occurrence, LastExecutionArn = arn, LastError = error };
            if (await book.TryWriteAsync(fired, cancellationToken) is not null) return;
            // An operator's switch landed in between, or another instance took the claim over and recorded it.
            if (await book.ReadAsync(rule.Name, cancellationToken) is not { Claim.Occurrence: var claimedNow } latest || claimedNow != occurrence) return;
            current = latest;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Rule} fired its {Occurrence:u} occurrence as execution {ExecutionName}")]
    private static partial void LogFired(ILogger logger, string rule, DateTimeOffset occurrence, string executionName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Rule}: execution {ExecutionName} had already been started; recorded as fired")]
    private static partial void LogStartedBefore(ILogger logger, string rule, string executionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Rule}: taking over the {Occurrence:u} occurrence another instance claimed and did not record")]
    private static partial void LogTakeOver(ILogger logger, string rule, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {Rule} could not start execution {ExecutionName} ({ErrorType}); the occurrence is recorded as failed")]
    private static partial void LogCannotStart(ILogger logger, string rule, string executionName, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Rule} failed a pass ({ErrorType}); retrying in {RetrySeconds} s")]
    private static partial void LogRuleFailed(ILogger logger, string rule, string errorType, double retrySeconds);
}
