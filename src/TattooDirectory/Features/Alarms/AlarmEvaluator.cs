using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;
using static System.FormattableString;

namespace TattooDirectory.Features.Alarms;

public enum AlarmState
{
    Ok,
    Alarm,
}

/// <summary>
/// One alarm as stored (item <c>ALARM#{name}</c>): its state since the last transition, the reason
/// then, and how many transitions it has had, which names each transition's notification.
/// </summary>
public sealed record AlarmRecord(string Name, AlarmState State, DateTimeOffset Since, string Reason, long Transitions);

/// <summary>One alarm as the admin API and page show it: the stored state with the latest reason.</summary>
public sealed record AlarmStatus(string Name, AlarmSeverity Severity, AlarmState State, DateTimeOffset? Since, string Reason);

/// <summary>
/// Evaluates every rule and records each transition. A transition (OK→ALARM or ALARM→OK) is one
/// table transaction: the new state, conditional on the version read, and its notification to
/// <c>critical-alerts</c> or <c>warning-alerts</c> through the outbox, with a message id made of
/// the alarm name and its transition number. So a transition is notified exactly once, a restart
/// reads the state back and neither re-fires nor forgets, and of two instances evaluating at once
/// only one commits. The state is written only on transitions (and once when a rule is first
/// seen), not on every evaluation: the latest reason is kept in memory.
/// </summary>
public sealed partial class AlarmEvaluator(IEnumerable<IAlarmRule> rules, ITable table, TimeProvider time, ILogger<AlarmEvaluator> logger)
{
    private readonly IReadOnlyList<IAlarmRule> _rules = [.. rules];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _latestReasons = new(StringComparer.Ordinal);

    public IReadOnlyList<IAlarmRule> Rules => _rules;

    /// <summary>When the last complete evaluation started (null before the first).</summary>
    public DateTimeOffset? LastEvaluatedAt { get; private set; }

    /// <summary>Evaluates every rule once; a rule whose signal cannot be read keeps its state until the next evaluation.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetUtcNow();
            foreach (var rule in _rules)
            {
                await EvaluateAsync(rule, cancellationToken);
            }
            LastEvaluatedAt = started;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every rule with its stored state; a rule never evaluated yet shows as ok with no start time.</summary>
    public async Task<IReadOnlyList<AlarmStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<AlarmStatus>(_rules.Count);
        foreach (var rule in _rules)
        {
            var stored = await ReadAsync(rule.Name, cancellationToken);
            var reason = _latestReasons.GetValueOrDefault(rule.Name) ?? stored.Record?.Reason ?? "not evaluated yet";
            statuses.Add(new AlarmStatus(rule.Name, rule.Severity, stored.Record?.State ?? AlarmState.Ok, stored.Record?.Since, reason));
        }
        return statuses;
    }

    private async Task EvaluateAsync(IAlarmRule rule, CancellationToken cancellationToken)
    {
        var (record, version) = await ReadAsync(rule.Name, cancellationToken);
        var active = record?.State == AlarmState.Alarm;
        AlarmCheck check;
        try
        {
            check = await rule.CheckAsync(active, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnreadable(logger, rule.Name, ex.GetType().Name);
            _latestReasons[rule.Name] = $"could not be read ({ex.GetType().Name}); state kept";
            return;
        }

        _latestReasons[rule.Name] = check.Reason;
        if (record is not null && check.Breached == active) return;

        var now = time.GetUtcNow();
        var state = check.Breached ? AlarmState.Alarm : AlarmState.Ok;
        var condition = record is null ? WriteCondition.NotExists : WriteCondition.VersionEquals(version);
        // First sight of a rule that is fine: remember since when, with nothing to tell anyone.
        var transitions = (record?.Transitions ?? 0) + (record is null && !check.Breached ? 0 : 1);
        var updated = new AlarmRecord(rule.Name, state, now, check.Reason, transitions);
        List<TableWrite> writes = [new TableWrite.Put(AlarmItems.ToItem(updated), condition)];
        if (transitions != (record?.Transitions ?? 0)) writes.Add(Notify(rule, updated));
        try
        {
            await table.TransactWriteAsync(writes, cancellationToken);
        }
        catch (TransactionCanceledException)
        {
            // Another instance recorded this transition first, and notified it.
            return;
        }

        if (writes.Count > 1) LogTransition(logger, rule.Name, state == AlarmState.Alarm ? "alarm" : "ok", check.Reason);
    }

    private async Task<(AlarmRecord? Record, long Version)> ReadAsync(string name, CancellationToken cancellationToken) =>
        await table.GetAsync(Keys.Alarm(name), cancellationToken) is { } item ? (AlarmItems.Read(item), item.Version) : (null, 0);

    /// <summary>The subject and body name the alarm and carry counts only (the rules' reasons): never personal data.</summary>
    private static TableWrite Notify(IAlarmRule rule, AlarmRecord record)
    {
        var severity = AlarmNames.Of(rule.Severity);
        var subject = record.State == AlarmState.Alarm
            ? Invariant($"ALARM ({severity}): {rule.Name}")
            : Invariant($"OK: {rule.Name} has cleared");
        var body = Invariant($"Alarm: {rule.Name}\nSeverity: {severity}\nState: {AlarmNames.Of(record.State)} since {record.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z\nReason: {record.Reason}");
        var message = new Notification(subject, body, new Dictionary<string, string>
        {
            ["alarm"] = rule.Name,
            ["severity"] = severity,
            ["state"] = AlarmNames.Of(record.State),
        });
        var topic = rule.Severity == AlarmSeverity.Critical ? Topics.CriticalAlerts : Topics.WarningAlerts;
        return Outbox.Publish(topic, message, Invariant($"alarm:{rule.Name}:{record.Transitions}"), record.Since);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm {Alarm} is now {State}: {Reason}")]
    private static partial void LogTransition(ILogger logger, string alarm, string state, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alarm {Alarm} could not read its signal ({ErrorType}); its state is kept")]
    private static partial void LogUnreadable(ILogger logger, string alarm, string errorType);
}

/// <summary>The lower-case words the API, the notifications and the page use for severities and states.</summary>
public static class AlarmNames
{
    public static string Of(AlarmSeverity severity) => severity == AlarmSeverity.Critical ? "critical" : "warning";

    public static string Of(AlarmState state) => state == AlarmState.Alarm ? "alarm" : "ok";
}

internal static class AlarmItems
{
    public static Item ToItem(AlarmRecord record)
    {
        var key = Keys.Alarm(record.Name);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(record, AlarmJson.Default.AlarmRecord) };
    }

    /// <exception cref="JsonException">the item is not an alarm state.</exception>
    public static AlarmRecord Read(Item item) =>
        JsonSerializer.Deserialize(item.Data, AlarmJson.Default.AlarmRecord) ?? throw new JsonException($"Empty alarm item {item.Key}.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlarmRecord))]
internal sealed partial class AlarmJson : JsonSerializerContext;
