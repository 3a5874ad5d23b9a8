using System.Text.Json.Nodes;
using TattooDirectory.Backends.Local.Workflow.Asl;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// This part: the Map state (inline). Its iterations are laid out in one write (one thread row per
/// item, holding the ItemSelector's output), then run at most MaxConcurrency at a time, each
/// committing its own transitions. A finished iteration's output is kept in its row, so after a
/// restart only the unfinished ones run again. The first iteration to fail stops the others and
/// fails the Map state with its error.
/// </summary>
internal sealed partial class ExecutionRunner
{
    private async Task<Step> RunMapAsync(ExecutionRun run, ThreadCursor thread, MapState state, ContextObject context, CancellationToken token)
    {
        var effective = Input(state.InputPath, thread.Input, context);
        var iterations = thread.MapStarted ? run.TakeIterations(thread.Key) : LayOutIterations(run, thread, state, effective, context);
        var limit = state.MaxConcurrencyPath is { } path ? Integer(path, effective, context, "MaxConcurrencyPath", minimum: 0) : state.MaxConcurrency;
        var outputs = iterations.Select(r => r.Status == ThreadStatus.Succeeded ? r.Output : null).ToArray();

        if (await RunIterationsAsync(run, thread, state, iterations, outputs, limit, token) is { } failure)
        {
            return new Failed(failure.Error, failure.Cause, [Draft.Of(HistoryEventType.MapStateFailed, state.Name) with { Error = failure.Error, Cause = failure.Cause }]);
        }

        var results = new JsonArray([.. outputs.Select(o => JsonNode.Parse(o!))]);
        var succeeded = Draft.Of(HistoryEventType.MapStateSucceeded, state.Name) with { IterationCount = results.Count };
        try
        {
            JsonNode effectiveResult = state.ResultSelector is { } selector ? selector.Evaluate(results, context) : results;
            return Done(state, Output(state.OutputPath, Result(state.ResultPath, thread.Input, effectiveResult), context), succeeded);
        }
        catch (StateFailure error)
        {
            return Failed.From(error, succeeded);
        }
    }

    /// <summary>Selects the items, applies the ItemSelector to each and commits one pending iteration per item.</summary>
    private List<ThreadRow> LayOutIterations(ExecutionRun run, ThreadCursor thread, MapState state, JsonNode? effective, ContextObject context)
    {
        if (Select(state.ItemsPath, effective, context, "ItemsPath") is not JsonArray items)
        {
            throw StateFailure.Runtime($"The ItemsPath '{state.ItemsPath}' of '{state.Name}' does not select an array.");
        }

        var rows = items.Select((item, i) => new ThreadRow(
            ThreadRow.ChildKey(thread.Key, i),
            i,
            ThreadStatus.Pending,
            state.Processor.StartAt,
            Json.Limited(state.ItemSelector is { } selector ? selector.Evaluate(effective, context.ForMapItem(i, item)) : item, $"input of iteration {i} of '{state.Name}'"),
            default,
            null,
            null,
            false)).ToList();
        var last = 0L;
        store.Write(run.Seq, batch =>
        {
            batch.DeleteDescendants(thread.Key);
            foreach (var row in rows)
            {
                batch.PutThread(row with { EnteredAt = batch.Now });
            }

            batch.PutThread(thread.ToRow() with { MapStarted = true });
            last = batch.Add(Draft.Of(HistoryEventType.MapStateStarted, state.Name) with { IterationCount = rows.Count }, thread.LastEventId);
        });
        thread.MapStarted = true;
        thread.LastEventId = last;
        return rows;
    }

    /// <summary>Runs the unfinished iterations in index order, at most <paramref name="limit"/> at once (0: all); returns the first failure.</summary>
    private async Task<StateFailure?> RunIterationsAsync(ExecutionRun run, ThreadCursor map, MapState state, List<ThreadRow> iterations, string?[] outputs, int limit, CancellationToken token)
    {
        var gate = new Lock();
        var failure = iterations.FirstOrDefault(r => r.Status == ThreadStatus.Failed) is { } failedBefore ? new StateFailure(failedBefore.Error ?? "", failedBefore.Cause ?? "") : null;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var slots = new SemaphoreSlim(limit > 0 ? limit : Math.Max(iterations.Count, 1));
        var running = new List<Task>();
        try
        {
            foreach (var (row, slot) in iterations.Select((r, i) => (r, i)).Where(p => p.r.Status is ThreadStatus.Pending or ThreadStatus.Running))
            {
                if (failure is not null)
                {
                    break;
                }

                try
                {
                    await slots.WaitAsync(abort.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    break;
                }

                // A failing iteration cancels before it frees its slot, but the cancellation can
                // reach this waiter after the slot did.
                if (abort.IsCancellationRequested)
                {
                    slots.Release();
                    token.ThrowIfCancellationRequested();
                    break;
                }

                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        var (output, failed) = await RunIterationAsync(run, map, state, row, abort, token);
                        outputs[slot] = output;
                        if (failed is not null)
                        {
                            lock (gate)
                            {
                                failure ??= failed;
                            }

                            await abort.CancelAsync();
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        finally
        {
            // Never leave an iteration running behind the Map, even when the loop itself was interrupted.
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
        }

        await Task.WhenAll(running);
        token.ThrowIfCancellationRequested();
        return failure;
    }

    /// <summary>Runs one iteration to its end and records it: succeeded with its output, failed with its error, or aborted because another failed.</summary>
    private async Task<(string? Output, StateFailure? Failure)> RunIterationAsync(ExecutionRun run, ThreadCursor map, MapState state, ThreadRow row, CancellationTokenSource abort, CancellationToken token)
    {
        var index = row.ItemIndex!.Value;
        var child = row.Status == ThreadStatus.Pending ? StartIteration(run, map, state, row) : ThreadCursor.FromRow(row, map.LastEventId);
        try
        {
            var end = await RunThreadAsync(run, child, state.Processor, abort.Token);
            var output = end.Succeeded ? Json.Text(end.Output) : null;
            store.Write(run.Seq, batch =>
            {
                var last = Append(batch, end.Events, child.LastEventId);
                batch.Add(end.Succeeded
                    ? (Draft.Of(HistoryEventType.MapIterationSucceeded, state.Name) with { IterationIndex = index })
                    : (Draft.Of(HistoryEventType.MapIterationFailed, state.Name) with { Error = end.Error, Cause = end.Cause, IterationIndex = index }), last);
                batch.DeleteDescendants(child.Key);
                batch.PutThread(child.ToRow(end.Succeeded ? ThreadStatus.Succeeded : ThreadStatus.Failed) with { Output = output, Error = end.Error, Cause = end.Cause });
            });
            return (output, end.Succeeded ? null : new StateFailure(end.Error ?? "", end.Cause ?? ""));
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested && !token.IsCancellationRequested)
        {
            store.Write(run.Seq, batch =>
            {
                batch.Add(Draft.Of(HistoryEventType.MapIterationAborted, state.Name) with { IterationIndex = index }, child.LastEventId);
                batch.PutThread(child.ToRow(ThreadStatus.Aborted));
            });
            return (null, null);
        }
    }

    private ThreadCursor StartIteration(ExecutionRun run, ThreadCursor map, MapState state, ThreadRow row)
    {
        var (last, now) = (0L, default(DateTimeOffset));
        store.Write(run.Seq, batch =>
        {
            now = batch.Now;
            last = batch.Add(Draft.Of(HistoryEventType.MapIterationStarted, state.Name) with { IterationIndex = row.ItemIndex }, map.LastEventId);
            batch.PutThread(row with { Status = ThreadStatus.Running, EnteredAt = now });
            last = batch.Add(Draft.Of(state.Processor.States[row.State].EnteredEvent, row.State) with { Input = row.Input }, last);
        });
        return new ThreadCursor(row.Key, row.ItemIndex, row.State, JsonNode.Parse(row.Input), now, last);
    }
}
