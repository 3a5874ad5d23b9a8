using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TattooDirectory.Backends.Local.Workflow.Asl;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>
/// The Local workflow engine: runs Amazon States Language definitions in-process, with Task states
/// calling <see cref="IWorkflowTask"/> handlers by logical name, and keeps executions and their
/// history in its own SQLite file (<see cref="FileName"/>). Every transition is committed before
/// the next state starts, so after a crash <see cref="ResumeAsync"/> continues each running
/// execution at the state it was in (a task in flight runs again; a Wait waits what was left).
/// </summary>
/// <remarks>
/// Task states are Lambda invokes: <c>"Resource": "arn:aws:states:::lambda:invoke"</c> with
/// <c>Parameters.FunctionName</c> naming the function as <c>${Name}</c> (the CDK substitutes the
/// function's ARN when it deploys the same file to Step Functions), as a plain name, or as a Lambda
/// ARN whose function name is the logical name. The handler receives <c>Parameters.Payload</c> and
/// the state's result is <c>{ "ExecutedVersion", "Payload": handler result, "StatusCode": 200 }</c>,
/// as Step Functions returns it. Definitions are checked when the engine is built.
/// </remarks>
public sealed class LocalWorkflowEngine : IWorkflowEngine, IAsyncDisposable, IDisposable
{
    /// <summary>The file name under the data directory.</summary>
    public const string FileName = "workflows.db";

    /// <summary>How long shutdown waits for executions to notice it before closing the file.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, StateMachineDefinition> _machines;
    private readonly WorkflowStore _store;
    private readonly ExecutionRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IWorkflowObserver _observer;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<long, ExecutionRun> _runs = new();
    private readonly Lock _launchGate = new();
    private bool _disposed;

    /// <param name="definitions">ASL JSON by state machine name.</param>
    /// <param name="tasks">The handlers Task states call, by <see cref="IWorkflowTask.Name"/>.</param>
    /// <param name="databasePath">The workflow file (<see cref="FileName"/> under the data directory).</param>
    /// <param name="observer">Told of state durations and ended executions (metrics); none when null.</param>
    /// <exception cref="WorkflowDefinitionException">a definition is invalid, uses what this executor does not support, or names a missing handler.</exception>
    /// <exception cref="ArgumentException">two handlers have the same name.</exception>
    public LocalWorkflowEngine(IReadOnlyDictionary<string, string> definitions, IEnumerable<IWorkflowTask> tasks, string databasePath, TimeProvider time, ILogger<LocalWorkflowEngine> logger, IWorkflowObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var handlers = new Dictionary<string, IWorkflowTask>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (!handlers.TryAdd(task.Name, task))
            {
                throw new ArgumentException($"Two workflow tasks are named '{task.Name}'.", nameof(tasks));
            }
        }

        _machines = definitions.ToDictionary(d => ValidName(d.Key, nameof(definitions)), d => AslParser.Parse(d.Key, d.Value, handlers.ContainsKey), StringComparer.Ordinal);
        _time = time;
        _logger = logger;
        _observer = observer ?? NoWorkflowObserver.Instance;
        _store = new WorkflowStore(Path.GetFullPath(databasePath), time);
        _runner = new ExecutionRunner(_store, handlers, time, logger, _observer);
    }

    /// <summary>
    /// Continues every execution the file holds as running and this engine is not running yet: the
    /// host calls it once on start. Returns how many it resumed.
    /// </summary>
    public Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        var resumed = 0;
        foreach (var row in _store.RunningExecutions().Where(r => !_runs.ContainsKey(r.Seq)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_machines.TryGetValue(row.Execution.StateMachineName, out var machine))
            {
                _logger.UnknownStateMachine(row.Execution.ExecutionArn, row.Execution.StateMachineName);
                continue;
            }

            var threads = _store.Threads(row.Seq);
            if (threads.FirstOrDefault(t => t.Key.Length == 0) is not { } root)
            {
                // Cannot happen short of editing the file: the root row is written and removed with the status.
                _logger.ExecutionFault(row.Execution.ExecutionArn, new InvalidDataException("The running execution has no root thread."));
                continue;
            }

            var resumedEvent = 0L;
            _store.Write(row.Seq, batch => resumedEvent = batch.Add(Draft.Of(HistoryEventType.ExecutionResumed, root.State), batch.LatestEventId));
            Launch(new ExecutionRun(row.Seq, row.Execution, machine, ThreadCursor.FromRow(root, resumedEvent), threads.Where(t => t.Key.Length > 0), _shutdown.Token));
            _logger.ExecutionResumed(row.Execution.ExecutionArn, root.State);
            resumed++;
        }

        return Task.FromResult(resumed);
    }

    public Task<StartedExecution> StartExecutionAsync(string stateMachineName, string? input = null, string? name = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(stateMachineName);
        var machine = Machine(stateMachineName);
        name = ValidName(name ?? Guid.NewGuid().ToString(), nameof(name));
        var inputText = NormalisedInput(input);
        var arn = LocalArns.Execution(stateMachineName, name);
        ThreadCursor? root = null;
        var (row, created) = _store.CreateExecution(stateMachineName, name, arn, inputText, batch =>
        {
            var started = batch.Add(Draft.Of(HistoryEventType.ExecutionStarted) with { Input = inputText }, 0);
            var entered = batch.Add(Draft.Of(machine.States[machine.StartAt].EnteredEvent, machine.StartAt) with { Input = inputText }, started);
            root = new ThreadCursor("", null, machine.StartAt, JsonNode.Parse(inputText), batch.Now, entered);
            batch.PutThread(root.ToRow());
        });

        if (!created)
        {
            // StartExecution is idempotent for a running execution with the same input.
            return row.Execution.Status == ExecutionStatus.Running && row.Execution.Input == inputText
                ? Task.FromResult(new StartedExecution(row.Execution.ExecutionArn, row.Execution.StartDate))
                : throw new ExecutionAlreadyExistsException($"An execution named '{name}' of '{stateMachineName}' already exists with another input or has stopped.");
        }

        Launch(new ExecutionRun(row.Seq, row.Execution, machine, root!, [], _shutdown.Token));
        _logger.ExecutionStarted(arn);
        return Task.FromResult(new StartedExecution(arn, row.Execution.StartDate));
    }

    public Task<ExecutionDescription?> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default) =>
        Task.FromResult(_store.FindExecution(executionArn)?.Execution);

    public Task<HistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults = 100, string? nextToken = null, bool reverseOrder = false, CancellationToken cancellationToken = default)
    {
        var row = _store.FindExecution(executionArn) ?? throw new KeyNotFoundException($"No execution '{executionArn}'.");
        var from = Token(nextToken) ?? (reverseOrder ? long.MaxValue : 0);
        var events = _store.History(row.Seq, from, PageSize(maxResults) + 1, reverseOrder);
        return Task.FromResult(events.Count > maxResults
            ? new HistoryPage(events[..maxResults], events[maxResults - 1].Id.ToString(CultureInfo.InvariantCulture))
            : new HistoryPage(events, null));
    }

    public Task<ExecutionPage> ListExecutionsAsync(string stateMachineName, ExecutionStatus? statusFilter = null, int maxResults = 100, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        Machine(stateMachineName);
        var rows = _store.ListExecutions(stateMachineName, statusFilter, PageSize(maxResults) + 1, Token(nextToken) ?? long.MaxValue);
        var page = rows.Take(maxResults).Select(r => r.ToSummary()).ToList();
        return Task.FromResult(new ExecutionPage(page, rows.Count > maxResults ? rows[maxResults - 1].Seq.ToString(CultureInfo.InvariantCulture) : null));
    }

    public async Task<bool> StopExecutionAsync(string executionArn, string? error = null, string? cause = null, CancellationToken cancellationToken = default)
    {
        var row = _store.FindExecution(executionArn) ?? throw new KeyNotFoundException($"No execution '{executionArn}'.");
        try
        {
            _store.Write(row.Seq, batch =>
            {
                batch.Add(Draft.Of(HistoryEventType.ExecutionAborted) with { Error = error, Cause = cause }, batch.LatestEventId);
                batch.Close(ExecutionStatus.Aborted, null, error, cause);
            });
        }
        catch (ExecutionClosedException)
        {
            return false;
        }

        // The abort is committed: whatever the execution's threads try to write from now on is refused.
        if (_runs.TryGetValue(row.Seq, out var run))
        {
            try
            {
                await run.Stop.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // Its threads met the abort on their own and the run has already ended.
            }
        }

        _logger.ExecutionAborted(executionArn);
        _observer.ExecutionEnded(row.Execution.StateMachineName, ExecutionStatus.Aborted);
        return true;
    }

    public void Dispose()
    {
        if (BeginShutdown() is { } running)
        {
            // Executions stop at their next await; one stuck in a handler that ignores cancellation is left behind.
            Task.WaitAll(running, ShutdownGrace);
            EndShutdown();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (BeginShutdown() is { } running)
        {
            await Task.WhenAll(running).WaitAsync(ShutdownGrace).ContinueWith(_ => { }, TaskScheduler.Default);
            EndShutdown();
        }
    }

    private Task[]? BeginShutdown()
    {
        lock (_launchGate)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
        }

        _shutdown.Cancel();
        return [.. _runs.Values.Select(r => r.Completion)];
    }

    private void EndShutdown()
    {
        _store.Dispose();
        _shutdown.Dispose();
    }

    private void Launch(ExecutionRun run)
    {
        lock (_launchGate)
        {
            if (_disposed)
            {
                // Shutting down: the execution stays RUNNING in the file and resumes on the next start.
                run.Dispose();
                return;
            }

            _runs[run.Seq] = run;
            run.Completion = Task.Run(async () =>
            {
                using var activity = WorkflowLog.Source.StartActivity("workflow.execution");
                activity?.SetTag("workflow.execution_arn", run.Execution.ExecutionArn);
                try
                {
                    await _runner.RunAsync(run);
                }
                finally
                {
                    _runs.TryRemove(run.Seq, out _);
                    run.Dispose();
                }
            }, CancellationToken.None);
        }
    }

    private StateMachineDefinition Machine(string name) =>
        _machines.TryGetValue(name, out var machine) ? machine : throw new KeyNotFoundException($"No state machine named '{name}'.");

    private static string NormalisedInput(string? input)
    {
        if (input is null)
        {
            return "{}";
        }

        string text;
        try
        {
            text = Json.Text(JsonNode.Parse(input));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The input is not JSON: {e.Message}", nameof(input), e);
        }

        return System.Text.Encoding.UTF8.GetByteCount(text) <= Json.MaxPayloadBytes
            ? text
            : throw new ArgumentException($"The input is larger than {Json.MaxPayloadBytes} bytes.", nameof(input));
    }

    /// <summary>Step Functions' rule for execution and state machine names.</summary>
    private static string ValidName(string name, string parameter) =>
        name.Length is >= 1 and <= 80 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "<>{}[]?*\"#%\\^|~`$&,;:/".Contains(c))
            ? name
            : throw new ArgumentException($"'{name}' is not a valid name: 1 – 80 characters, no whitespace, brackets, wildcards, control or special characters.", parameter);

    private static int PageSize(int maxResults) =>
        maxResults is >= 1 and <= 1000 ? maxResults : throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "Between 1 and 1,000.");

    private static long? Token(string? token) =>
        token is null ? null
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException("The token is not one this engine gave.", nameof(token));
}
