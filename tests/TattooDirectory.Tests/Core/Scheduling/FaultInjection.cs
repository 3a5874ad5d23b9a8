using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Core.Scheduling;

/// <summary>
/// The real store, except that once armed, the first reads of a schedule item by
/// <paramref name="parties"/> callers are all answered only after every one of them has read: two
/// schedulers then hold the same due state before either writes, the race a shared store must settle.
/// </summary>
internal sealed class RendezvousTable(ITable inner, int parties) : ITable
{
    private TaskCompletionSource _everyoneRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Readers still to arrive; below zero while not armed.</summary>
    private int _awaited = -1;

    public void Arm()
    {
        _everyoneRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _awaited, parties);
    }

    public async Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        var item = await inner.GetAsync(key, cancellationToken);
        if (key.Pk.StartsWith(Keys.SchedulePrefix, StringComparison.Ordinal) && Volatile.Read(ref _awaited) > 0)
        {
            var left = Interlocked.Decrement(ref _awaited);
            if (left == 0) _everyoneRead.TrySetResult();
            if (left >= 0) await _everyoneRead.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        }

        return item;
    }

    public Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.PutAsync(item, condition, cancellationToken);

    public Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, condition, cancellationToken);

    public Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.TransactWriteAsync(writes, cancellationToken);

    public Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default) => inner.BatchWriteAsync(writes, cancellationToken);

    public IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, CancellationToken cancellationToken = default) => inner.ScanAsync(partitionKeyPrefix, cancellationToken);
}

/// <summary>A real engine whose next start fails as a throttled or unreachable Step Functions would.</summary>
internal sealed class FailingStartEngine(IWorkflowEngine inner) : IWorkflowEngine
{
    public int FailuresLeft { get; set; }

    public Task<StartedExecution> StartExecutionAsync(string stateMachineName, string? input = null, string? name = null, CancellationToken cancellationToken = default)
    {
        if (FailuresLeft <= 0) return inner.StartExecutionAsync(stateMachineName, input, name, cancellationToken);
        FailuresLeft--;
        throw new TimeoutException("The engine did not answer.");
    }

    public Task<ExecutionDescription?> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default) => inner.DescribeExecutionAsync(executionArn, cancellationToken);

    public Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults = 100, string? nextToken = null, bool reverseOrder = false, CancellationToken cancellationToken = default) =>
        inner.GetExecutionHistoryAsync(executionArn, maxResults, nextToken, reverseOrder, cancellationToken);

    public Task<ExecutionPage> ListExecutionsAsync(string stateMachineName, ExecutionStatus? statusFilter = null, int maxResults = 100, string? nextToken = null, CancellationToken cancellationToken = default) =>
        inner.ListExecutionsAsync(stateMachineName, statusFilter, maxResults, nextToken, cancellationToken);

    public Task<bool> StopExecutionAsync(string executionArn, string? error = null, string? cause = null, CancellationToken cancellationToken = default) =>
        inner.StopExecutionAsync(executionArn, error, cause, cancellationToken);
}
