using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TattooDirectory.Backends.Local.Workflow.Asl;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// The interpreter: runs an execution's threads state by state. After each state it commits, in one
/// transaction, the events of what happened, the state's exit, the thread's new position (state,
/// input, time) and the next state's entry, so a restart continues from the last committed
/// transition. Errors go through the state's Retriers, then its Catchers, then end the thread.
/// </summary>
internal sealed partial class ExecutionRunner(WorkflowStore store, IReadOnlyDictionary<string, IWorkflowTask> tasks, TimeProvider time, ILogger logger, IWorkflowObserver observer)
{
    /// <summary>What running one state came to, with the events to record alongside.</summary>
    private abstract record Step(IReadOnlyList<HistoryEvent> Events);

    private sealed record Moved(string Next, JsonNode? Output, IReadOnlyList<HistoryEvent> Events) : Step(Events);

    private sealed record Ended(JsonNode? Output, IReadOnlyList<HistoryEvent> Events) : Step(Events);

    /// <summary>An error; a Fail state may give none. Runtime and data-limit errors skip Retry and Catch.</summary>
    private sealed record Failed(string? Error, string? Cause, IReadOnlyList<HistoryEvent> Events) : Step(Events)
    {
        public bool Terminal => Error is WorkflowErrors.Runtime or WorkflowErrors.DataLimitExceeded;

        public static Failed From(StateFailure failure, params HistoryEvent[] events) => new(failure.Error, failure.Cause, events);
    }

    /// <summary>How a thread ended; <see cref="Events"/> are still to be written by whoever records the end.</summary>
    private sealed record ThreadEnd(bool Succeeded, JsonNode? Output, string? Error, string? Cause, IReadOnlyList<HistoryEvent> Events);

    public async Task RunAsync(ExecutionRun run)
    {
        var token = run.Stop.Token;
        var watchdog = run.Machine.TimeoutSeconds is { } seconds ? WatchTimeoutAsync(run, TimeSpan.FromSeconds(seconds)) : Task.CompletedTask;
        try
        {
            var end = await RunThreadAsync(run, run.Root, run.Machine, token);
            store.Write(run.Seq, batch =>
            {
                var last = Append(batch, end.Events, run.Root.LastEventId);
                if (end.Succeeded)
                {
                    var output = Json.Text(end.Output);
                    batch.Add(Draft.Of(HistoryEventType.ExecutionSucceeded) with { Output = output }, last);
                    batch.Close(ExecutionStatus.Succeeded, output, null, null);
                }
                else
                {
                    batch.Add(Draft.Of(HistoryEventType.ExecutionFailed) with { Error = end.Error, Cause = end.Cause }, last);
                    batch.Close(ExecutionStatus.Failed, null, end.Error, end.Cause);
                }
            });
            logger.ExecutionEnded(run.Execution.ExecutionArn, end.Succeeded ? "SUCCEEDED" : "FAILED", end.Error);
            observer.ExecutionEnded(run.Execution.StateMachineName, end.Succeeded ? ExecutionStatus.Succeeded : ExecutionStatus.Failed);
        }
        catch (Exception e) when (IsInterruption(e, token))
        {
            // Stopped, timed out or shutting down: whatever was committed stands; a restart resumes it.
        }
        catch (Exception e)
        {
            // The execution stays RUNNING in the file and resumes at its last transition on the next start.
            logger.ExecutionFault(run.Execution.ExecutionArn, e);
        }
        finally
        {
            await run.Stop.CancelAsync();
            await watchdog;
        }
    }

    private async Task<ThreadEnd> RunThreadAsync(ExecutionRun run, ThreadCursor thread, StateMachineDefinition scope, CancellationToken token)
    {
        while (true)
        {
            token.ThrowIfCancellationRequested();
            if (!scope.States.TryGetValue(thread.State, out var state))
            {
                return new ThreadEnd(false, null, WorkflowErrors.Runtime, $"The state '{thread.State}' is no longer in the definition.", []);
            }

            if (thread.RetryAt is { } due)
            {
                await DelayUntilAsync(due, token);
            }

            var step = await StepAsync(run, thread, state, token);
            if (step is Failed failed)
            {
                if (TryScheduleRetry(run, thread, state, failed))
                {
                    continue;
                }

                step = Catch(thread, state, failed) ?? failed;
            }

            string output;
            try
            {
                output = step is Failed ? "" : Json.Limited(step is Moved m ? m.Output : ((Ended)step).Output, $"output of state '{state.Name}'");
            }
            catch (StateFailure tooLarge)
            {
                observer.StateLeft(run.Execution.StateMachineName, state.Name, time.GetUtcNow() - thread.EnteredAt);
                return new ThreadEnd(false, null, tooLarge.Error, tooLarge.Cause, step.Events);
            }

            // The time in the state counts from its entry (after a restart, from the entry recorded before it).
            var spent = time.GetUtcNow() - thread.EnteredAt;
            switch (step)
            {
                case Moved moved:
                    CommitMove(run, thread, state, scope.States[moved.Next], moved, output);
                    observer.StateLeft(run.Execution.StateMachineName, state.Name, spent);
                    break;
                case Ended ended:
                    observer.StateLeft(run.Execution.StateMachineName, state.Name, spent);
                    return new ThreadEnd(true, ended.Output, null, null, [.. ended.Events, Draft.Of(state.ExitedEvent!.Value, state.Name) with { Output = output }]);
                case Failed end:
                    observer.StateLeft(run.Execution.StateMachineName, state.Name, spent);
                    return new ThreadEnd(false, null, end.Error, end.Cause, end.Events);
            }
        }
    }

    private async Task<Step> StepAsync(ExecutionRun run, ThreadCursor thread, StateDefinition state, CancellationToken token)
    {
        var context = new ContextObject(run.Execution, state.Name, thread.EnteredAt, thread.RetryCount);
        try
        {
            return state switch
            {
                PassState pass => Pass(pass, thread.Input, context),
                TaskState task => await RunTaskAsync(run, thread, task, context, token),
                MapState map => await RunMapAsync(run, thread, map, context, token),
                ChoiceState choice => Choose(choice, thread.Input, context),
                WaitState wait => await WaitAsync(wait, thread, context, token),
                SucceedState succeed => new Ended(Output(succeed.OutputPath, Input(succeed.InputPath, thread.Input, context), context), []),
                FailState fail => Fail(fail, thread.Input, context),
                _ => throw new InvalidOperationException($"No interpreter for {state.Type} states."),
            };
        }
        catch (StateFailure failure)
        {
            return Failed.From(failure);
        }
    }

    /// <summary>The first Retrier matching the error retries it while it has attempts left; the wait is committed so a restart keeps it.</summary>
    private bool TryScheduleRetry(ExecutionRun run, ThreadCursor thread, StateDefinition state, Failed failed)
    {
        if (failed.Terminal || state is not WorkState work)
        {
            return false;
        }

        var index = work.Retry.ToList().FindIndex(r => ErrorNames.Match(r.ErrorEquals, failed.Error ?? ""));
        var attempts = new int[work.Retry.Count];
        thread.Attempts.AsSpan(0, Math.Min(thread.Attempts.Length, attempts.Length)).CopyTo(attempts);
        if (index < 0 || attempts[index] >= work.Retry[index].MaxAttempts)
        {
            return false;
        }

        attempts[index]++;
        var delay = work.Retry[index].DelayBefore(attempts[index], Random.Shared);
        var (last, due) = (0L, default(DateTimeOffset));
        store.Write(run.Seq, batch =>
        {
            last = Append(batch, failed.Events, thread.LastEventId);
            due = batch.Now + delay;
            batch.PutThread(thread.ToRow() with { Attempts = System.Text.Json.JsonSerializer.Serialize(attempts), RetryAt = due, MapStarted = false });
        });
        (thread.Attempts, thread.RetryAt, thread.MapStarted, thread.LastEventId) = (attempts, due, false, last);
        return true;
    }

    /// <summary>The first Catcher matching the error moves on with the Error Output placed by its ResultPath.</summary>
    private static Step? Catch(ThreadCursor thread, StateDefinition state, Failed failed)
    {
        if (failed.Terminal || state is not WorkState work || work.Catch.FirstOrDefault(c => ErrorNames.Match(c.ErrorEquals, failed.Error ?? "")) is not { } catcher)
        {
            return null;
        }

        var errorOutput = new JsonObject { ["Error"] = failed.Error, ["Cause"] = failed.Cause };
        try
        {
            return new Moved(catcher.Next, Result(catcher.ResultPath, thread.Input, errorOutput), failed.Events);
        }
        catch (StateFailure failure)
        {
            return Failed.From(failure, [.. failed.Events]);
        }
    }

    private void CommitMove(ExecutionRun run, ThreadCursor thread, StateDefinition state, StateDefinition next, Moved moved, string output)
    {
        var (last, now) = (0L, default(DateTimeOffset));
        store.Write(run.Seq, batch =>
        {
            last = Append(batch, moved.Events, thread.LastEventId);
            last = batch.Add(Draft.Of(state.ExitedEvent!.Value, state.Name) with { Output = output }, last);
            if (state is MapState)
            {
                batch.DeleteDescendants(thread.Key);
            }

            now = batch.Now;
            batch.PutThread(new ThreadRow(thread.Key, thread.ItemIndex, ThreadStatus.Running, next.Name, output, now, null, null, false));
            last = batch.Add(Draft.Of(next.EnteredEvent, next.Name) with { Input = output }, last);
        });
        thread.MoveTo(next.Name, moved.Output, now);
        thread.LastEventId = last;
    }

    /// <summary>Writes events that only this thread knows of yet (before it can move on or wait).</summary>
    private void Record(ExecutionRun run, ThreadCursor thread, params HistoryEvent[] events)
    {
        var last = 0L;
        store.Write(run.Seq, batch => last = Append(batch, events, thread.LastEventId));
        thread.LastEventId = last;
    }

    /// <summary>The execution's TimeoutSeconds: when it passes first, the execution times out and its threads stop.</summary>
    private async Task WatchTimeoutAsync(ExecutionRun run, TimeSpan timeout)
    {
        try
        {
            await DelayUntilAsync(run.Execution.StartDate + timeout, run.Stop.Token);
            var cause = $"The execution ran longer than its TimeoutSeconds ({timeout.TotalSeconds:0}).";
            store.Write(run.Seq, batch =>
            {
                batch.Add(Draft.Of(HistoryEventType.ExecutionTimedOut) with { Error = WorkflowErrors.Timeout, Cause = cause }, batch.LatestEventId);
                batch.Close(ExecutionStatus.TimedOut, null, WorkflowErrors.Timeout, cause);
            });
            logger.ExecutionEnded(run.Execution.ExecutionArn, "TIMED_OUT", WorkflowErrors.Timeout);
            observer.ExecutionEnded(run.Execution.StateMachineName, ExecutionStatus.TimedOut);
            await run.Stop.CancelAsync();
        }
        catch (Exception e) when (IsInterruption(e, run.Stop.Token))
        {
            // The execution ended first, or the engine is shutting down.
        }
        catch (Exception e)
        {
            // The execution runs on; the timeout applies again when it resumes after a restart.
            logger.ExecutionFault(run.Execution.ExecutionArn, e);
        }
    }

    private async Task DelayUntilAsync(DateTimeOffset due, CancellationToken token)
    {
        var remaining = due - time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, time, token);
        }
    }

    private static long Append(WorkflowBatch batch, IEnumerable<HistoryEvent> events, long last)
    {
        foreach (var draft in events)
        {
            last = batch.Add(draft, last);
        }

        return last;
    }

    private static Step Done(StateDefinition state, JsonNode? output, params HistoryEvent[] events) =>
        state.Next is { } next ? new Moved(next, output, events) : new Ended(output, events);

    private static bool IsInterruption(Exception e, CancellationToken token) =>
        e is ExecutionClosedException or ObjectDisposedException || (e is OperationCanceledException && token.IsCancellationRequested);
}
