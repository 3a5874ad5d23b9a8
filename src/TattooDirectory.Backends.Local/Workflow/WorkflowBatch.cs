using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>The writes of one transaction for one execution; events are numbered on from the last committed one.</summary>
internal sealed class WorkflowBatch(SqliteConnection connection, SqliteTransaction transaction, long execution, long firstEventId, DateTimeOffset now)
{
    private long _nextEventId = firstEventId;

    /// <summary>The time of this write: every event in it carries it.</summary>
    public DateTimeOffset Now => now;

    /// <summary>The newest event of the execution so far (0 before the first).</summary>
    public long LatestEventId => _nextEventId - 1;

    /// <summary>Appends <paramref name="draft"/> (see <see cref="Draft"/>) after event <paramref name="previous"/>, now, and returns its id.</summary>
    public long Add(HistoryEvent draft, long previous)
    {
        var id = _nextEventId++;
        Execute("""
            INSERT INTO history (execution, id, previous, timestamp, type, state_name, input, output, error, cause, resource, iteration_index, iteration_count)
            VALUES ($seq, $id, $previous, $now, $type, $state, $input, $output, $error, $cause, $resource, $index, $count)
            """,
            ("$id", id), ("$previous", previous), ("$now", now.UtcTicks), ("$type", draft.Type.ToString()), ("$state", draft.StateName),
            ("$input", draft.Input), ("$output", draft.Output), ("$error", draft.Error), ("$cause", draft.Cause),
            ("$resource", draft.Resource), ("$index", draft.IterationIndex), ("$count", draft.IterationCount));
        return id;
    }

    public void PutThread(ThreadRow row) =>
        Execute("""
            INSERT OR REPLACE INTO threads (execution, key, item_index, status, state, input, entered_at, attempts, retry_at, map_started, output, error, cause)
            VALUES ($seq, $key, $index, $status, $state, $input, $entered, $attempts, $retry, $map, $output, $error, $cause)
            """,
            ("$key", row.Key), ("$index", row.ItemIndex), ("$status", row.Status.ToString()), ("$state", row.State), ("$input", row.Input),
            ("$entered", row.EnteredAt.UtcTicks), ("$attempts", row.Attempts), ("$retry", row.RetryAt?.UtcTicks), ("$map", row.MapStarted),
            ("$output", row.Output), ("$error", row.Error), ("$cause", row.Cause));

    /// <summary>Forgets the Map iterations below a thread (and theirs): a Map state is done with them, or starts over.</summary>
    public void DeleteDescendants(string key) =>
        Execute("DELETE FROM threads WHERE execution = $seq AND substr(key, 1, length($prefix)) = $prefix", ("$prefix", key + "/"));

    /// <summary>Stops the execution with its outcome and forgets its threads; later writes for it are refused.</summary>
    public void Close(ExecutionStatus status, string? output, string? error, string? cause)
    {
        Execute("""
            UPDATE executions SET status = $status, output = $output, error = $error, cause = $cause, stop_date = $now
            WHERE seq = $seq
            """, ("$status", status.ToText()), ("$output", output), ("$error", error), ("$cause", cause), ("$now", now.UtcTicks));
        Execute("DELETE FROM threads WHERE execution = $seq");
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = WorkflowStore.Command(connection, transaction, sql, [("$seq", execution), .. parameters]);
        command.ExecuteNonQuery();
    }
}
