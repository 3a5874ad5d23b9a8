using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Scheduling;

/// <summary>One rule as the operator sees it: its effective enabled flag, who set it, and what is due next.</summary>
public sealed record ScheduleView(ScheduleRule Rule, bool Enabled, bool SetByOperator, DateTimeOffset? NextDue, ScheduleState? State);

/// <summary>
/// The configured rules and their state in the single table: what the admin API lists and
/// switches, and what <see cref="ScheduleRunner"/> fires from. Every write is conditional on the
/// version read, so an operator's switch and a firing instance never overwrite each other.
/// </summary>
public sealed class ScheduleBook
{
    private const int MaxAttempts = 10;

    private readonly Dictionary<string, ScheduleRule> _byName;
    private readonly ITable _table;
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    /// <exception cref="ArgumentException">two rules have the same name.</exception>
    public ScheduleBook(IEnumerable<ScheduleRule> rules, ITable table, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        _byName = new Dictionary<string, ScheduleRule>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            if (!_byName.TryAdd(rule.Name, rule)) throw new ArgumentException($"Two schedule rules are named '{rule.Name}'.", nameof(rules));
        }

        _table = table;
        _time = time;
    }

    public IReadOnlyList<ScheduleRule> Rules { get; }

    /// <summary>Completes when an operator next switches a rule through this book, so a sleeping scheduler looks again.</summary>
    public Task WhenChanged => Volatile.Read(ref _changed).Task;

    public ScheduleRule? Find(string name) => _byName.GetValueOrDefault(name);

    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var views = new List<ScheduleView>(Rules.Count);
        foreach (var rule in Rules)
        {
            views.Add(View(rule, await ReadAsync(rule.Name, cancellationToken)));
        }

        return views;
    }

    /// <summary>The rule and its state; null when no rule has that name.</summary>
    public async Task<ScheduleView?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Find(name) is { } rule ? View(rule, await ReadAsync(rule.Name, cancellationToken)) : null;

    /// <summary>
    /// Records the operator's choice, which overrides configuration from now on. Enabling a disabled
    /// rule schedules its next occurrence from now: what it missed while off is not caught up.
    /// Returns null when no rule has that name.
    /// </summary>
    public async Task<ScheduleView?> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default)
    {
        if (Find(name) is not { } rule) return null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var state = await ReadAsync(rule.Name, cancellationToken);
            if (state?.Enabled == enabled) return View(rule, state);

            var now = _time.GetUtcNow();
            var current = state ?? New(rule);
            var chosen = current with
            {
                Enabled = enabled,
                EnabledChangedAt = now,
                // Off → on starts afresh from now; on → on keeps the occurrence already due.
                NextDue = IsEnabled(rule, state) ? current.NextDue : null,
            };
            if (await TryWriteAsync(Settle(rule, chosen, now), cancellationToken) is { } written)
            {
                Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
                return View(rule, written);
            }
        }

        throw new InvalidOperationException($"Schedule '{rule.Name}' kept changing while it was being switched; try again.");
    }

    internal static bool IsEnabled(ScheduleRule rule, ScheduleState? state) => state?.Enabled ?? rule.Enabled;

    internal static ScheduleState New(ScheduleRule rule) => new() { Rule = rule.Name, Expression = rule.Expression.Text };

    /// <summary>
    /// The state as it should be now, apart from firing: no next occurrence while disabled; one
    /// computed from now when there is none yet or the configured expression changed.
    /// </summary>
    internal static ScheduleState Settle(ScheduleRule rule, ScheduleState state, DateTimeOffset now)
    {
        var sameExpression = string.Equals(state.Expression, rule.Expression.Text, StringComparison.Ordinal);
        var nextDue = !IsEnabled(rule, state) ? null
            : sameExpression && state.NextDue is { } due ? due
            : rule.Expression.NextAfter(now);
        return state with { Expression = rule.Expression.Text, NextDue = nextDue };
    }

    internal async Task<ScheduleState?> ReadAsync(string rule, CancellationToken cancellationToken) =>
        await _table.GetAsync(Keys.Schedule(rule), cancellationToken) is { } item ? ScheduleItems.Read(item) : null;

    /// <summary>Writes the state if nobody changed it since it was read; the stored state, or null when someone had.</summary>
    internal async Task<ScheduleState?> TryWriteAsync(ScheduleState state, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _table.PutAsync(ScheduleItems.ToItem(state), ScheduleItems.Unchanged(state), cancellationToken);
            return state with { Version = stored.Version };
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private ScheduleView View(ScheduleRule rule, ScheduleState? state) =>
        new(rule, IsEnabled(rule, state), state?.Enabled is not null, Settle(rule, state ?? New(rule), _time.GetUtcNow()).NextDue, state);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
