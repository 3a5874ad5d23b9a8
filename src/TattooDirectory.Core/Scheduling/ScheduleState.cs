using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Scheduling;

/// <summary>
/// The runtime state of one rule, one item of the single table (<see cref="Keys.Schedule"/>), only
/// ever replaced by a write conditional on the version it was read at: that condition is what lets
/// one of several instances fire an occurrence and the others see it fired.
/// </summary>
public sealed record ScheduleState
{
    public required string Rule { get; init; }

    /// <summary>The expression <see cref="NextDue"/> was computed from; another one in configuration recomputes it.</summary>
    public required string Expression { get; init; }

    /// <summary>The operator's last choice; null while none was made and configuration decides.</summary>
    public bool? Enabled { get; init; }

    public DateTimeOffset? EnabledChangedAt { get; init; }

    /// <summary>The next occurrence to fire; null while the rule is disabled or has no occurrence left.</summary>
    public DateTimeOffset? NextDue { get; init; }

    /// <summary>When the last occurrence was fired, and which occurrence that was.</summary>
    public DateTimeOffset? LastFireAt { get; init; }

    public DateTimeOffset? LastOccurrence { get; init; }

    /// <summary>The execution the last fire started; null when it had been started before (a retry) or could not be.</summary>
    public string? LastExecutionArn { get; init; }

    /// <summary>Why the last fire could not start its target (an unknown state machine, an input it refuses).</summary>
    public string? LastError { get; init; }

    /// <summary>An occurrence an instance has taken on and not yet recorded as fired.</summary>
    public ScheduleClaim? Claim { get; init; }

    /// <summary>The store's version of the item (0 for a state never stored); not part of the item's data.</summary>
    [JsonIgnore]
    public long Version { get; init; }
}

/// <summary>
/// An occurrence being fired by the instance <see cref="ClaimedBy"/> since <see cref="ClaimedAt"/>.
/// The instance starts the execution and then clears the claim; a claim left behind by a crash is
/// taken over once it is older than the claim timeout, and starting the same execution name again
/// finds the execution the crashed instance may already have started.
/// </summary>
public sealed record ScheduleClaim(DateTimeOffset Occurrence, DateTimeOffset ClaimedAt, string ClaimedBy);

/// <summary>How schedule states are stored as items of the single table.</summary>
public static class ScheduleItems
{
    public static Item ToItem(ScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = Keys.Schedule(state.Rule);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(state, SchedulingJson.Default.ScheduleState) };
    }

    /// <exception cref="JsonException">the item is not a schedule state.</exception>
    public static ScheduleState Read(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (JsonSerializer.Deserialize(item.Data, SchedulingJson.Default.ScheduleState) ?? throw new JsonException($"Empty schedule item {item.Key}."))
            with { Version = item.Version };
    }

    /// <summary>The condition that makes a write of <paramref name="state"/> fail if anyone changed the item since it was read.</summary>
    public static WriteCondition Unchanged(ScheduleState state) =>
        state.Version == 0 ? WriteCondition.NotExists : WriteCondition.VersionEquals(state.Version);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScheduleState))]
internal sealed partial class SchedulingJson : JsonSerializerContext;
