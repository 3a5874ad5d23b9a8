using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Local.Workflow.Asl;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// One execution this process is running. <see cref="Stop"/> is cancelled when the execution is
/// stopped, times out or the engine shuts down; <see cref="Resumed"/> holds the Map iterations read
/// back after a restart until their Map state picks them up again.
/// </summary>
internal sealed class ExecutionRun(long seq, ExecutionDescription execution, StateMachineDefinition machine, ThreadCursor root, IEnumerable<ThreadRow> resumed, CancellationToken shutdown) : IDisposable
{
    private readonly Dictionary<string, ThreadRow> _resumed = resumed.ToDictionary(r => r.Key, StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public long Seq => seq;

    public ExecutionDescription Execution => execution;

    public StateMachineDefinition Machine => machine;

    public ThreadCursor Root => root;

    public CancellationTokenSource Stop { get; } = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>The iterations a Map state on thread <paramref name="parent"/> had laid out before the restart, in index order.</summary>
    public List<ThreadRow> TakeIterations(string parent)
    {
        lock (_gate)
        {
            var prefix = parent + "/";
            var children = _resumed.Values
                .Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal) && r.Key.IndexOf('/', prefix.Length) < 0)
                .OrderBy(r => r.ItemIndex)
                .ToList();
            foreach (var child in children)
            {
                _resumed.Remove(child.Key);
            }

            return children;
        }
    }

    public void Dispose() => Stop.Dispose();
}

/// <summary>
/// Where a thread (the execution's root, or one Map iteration) is while it runs: its state, the
/// state's raw input, when it entered it, its Retriers' counts and the time a retry is due, whether
/// a Map state has laid out its iterations, and the thread's latest event. Changed only after the
/// write that records the change has committed.
/// </summary>
internal sealed class ThreadCursor(string key, int? itemIndex, string state, JsonNode? input, DateTimeOffset enteredAt, long lastEventId)
{
    public string Key => key;

    public int? ItemIndex => itemIndex;

    public string State { get; private set; } = state;

    public JsonNode? Input { get; private set; } = input;

    public DateTimeOffset EnteredAt { get; private set; } = enteredAt;

    public int[] Attempts { get; set; } = [];

    public DateTimeOffset? RetryAt { get; set; }

    public bool MapStarted { get; set; }

    public long LastEventId { get; set; } = lastEventId;

    public int RetryCount => Attempts.Sum();

    public static ThreadCursor FromRow(ThreadRow row, long lastEventId) =>
        new(row.Key, row.ItemIndex, row.State, JsonNode.Parse(row.Input), row.EnteredAt, lastEventId)
        {
            Attempts = row.Attempts is null ? [] : JsonSerializer.Deserialize<int[]>(row.Attempts) ?? [],
            RetryAt = row.RetryAt,
            MapStarted = row.MapStarted,
        };

    /// <summary>The row for this thread as it is, or as it will be once in <paramref name="state"/> with <paramref name="input"/>.</summary>
    public ThreadRow ToRow(ThreadStatus status = ThreadStatus.Running) =>
        new(Key, ItemIndex, status, State, Json.Text(Input), EnteredAt, Attempts.Length == 0 ? null : JsonSerializer.Serialize(Attempts), RetryAt, MapStarted);

    /// <summary>Moves to the next state; the Retriers' counts and the Map's iterations belong to the state left.</summary>
    public void MoveTo(string next, JsonNode? nextInput, DateTimeOffset now)
    {
        State = next;
        Input = nextInput;
        EnteredAt = now;
        Attempts = [];
        RetryAt = null;
        MapStarted = false;
    }
}

/// <summary>JSON text for the store and the history, with Step Functions' payload quota.</summary>
internal static class Json
{
    /// <summary>Step Functions refuses a state input or output over 256 KiB of UTF-8.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <exception cref="StateFailure">States.DataLimitExceeded.</exception>
    public static string Limited(JsonNode? node, string what)
    {
        var text = Text(node);
        return Encoding.UTF8.GetByteCount(text) <= MaxPayloadBytes
            ? text
            : throw new StateFailure(WorkflowErrors.DataLimitExceeded, $"The {what} is larger than the {MaxPayloadBytes}-byte limit.");
    }
}
