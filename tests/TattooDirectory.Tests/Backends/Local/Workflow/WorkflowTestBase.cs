using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>
/// Runs small state machines on the real Local engine (its SQLite file in a temp directory) with
/// handlers the test registers and a fake clock. The engine is the unit; handlers are the edge.
/// </summary>
public abstract class WorkflowTestBase : IAsyncLifetime
{
    protected const string Machine = "test";

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, string> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IWorkflowTask> _tasks = new(StringComparer.Ordinal);

    protected ObservedClock Clock { get; } = new();

    protected LocalWorkflowEngine Engine { get; private set; } = null!;

    /// <summary>What the engines this test opens report to (state durations, ended executions).</summary>
    protected IWorkflowObserver? Observer { get; set; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected string DatabasePath => _directory.Combine(LocalWorkflowEngine.FileName);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers (or replaces, for the next open) the handler called <paramref name="name"/>.</summary>
    protected void Handle(string name, Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler) =>
        _tasks[name] = WorkflowTask.Create(name, handler);

    protected void Handle(string name, Func<JsonNode?, JsonNode?> handler) =>
        Handle(name, (payload, _) => Task.FromResult(handler(payload)));

    /// <summary>Opens the engine over the test's file with the definitions given so far plus these.</summary>
    protected LocalWorkflowEngine Open(params (string Name, string Json)[] definitions)
    {
        foreach (var (name, json) in definitions)
        {
            _definitions[name] = json;
        }

        return Engine = new LocalWorkflowEngine(_definitions, _tasks.Values, DatabasePath, Clock, NullLogger<LocalWorkflowEngine>.Instance, Observer);
    }

    /// <summary>Shuts the engine down mid-flight, as a crash would leave the file, and opens a new one that resumes.</summary>
    protected async Task<int> RestartAsync()
    {
        await Engine.DisposeAsync();
        Open();
        return await Engine.ResumeAsync(Ct);
    }

    protected async Task<string> StartAsync(string definition, string input = "{}")
    {
        Open((Machine, definition));
        return (await Engine.StartExecutionAsync(Machine, input, cancellationToken: Ct)).ExecutionArn;
    }

    /// <summary>Runs <paramref name="definition"/> on <paramref name="input"/> to its end (no timers involved).</summary>
    protected async Task<ExecutionDescription> RunAsync(string definition, string input = "{}") =>
        await EndOfAsync(await StartAsync(definition, input));

    protected async Task<ExecutionDescription> EndOfAsync(string arn)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            var execution = await Engine.DescribeExecutionAsync(arn, Ct);
            if (execution!.Status != ExecutionStatus.Running)
            {
                return execution;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }
    }

    protected async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string arn)
    {
        var events = new List<HistoryEvent>();
        string? token = null;
        do
        {
            var page = await Engine.GetExecutionHistoryAsync(arn, 1000, token, cancellationToken: Ct);
            events.AddRange(page.Events);
            token = page.NextToken;
        }
        while (token is not null);
        return events;
    }

    /// <summary>Waits until the history has an event that matches (a handler being called, a state entered).</summary>
    protected async Task<HistoryEvent> EventAsync(string arn, Func<HistoryEvent, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            if ((await HistoryAsync(arn)).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }
    }

    protected static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    /// <summary>Compares JSON by value, so tests can write the expected text freely.</summary>
    protected static void AssertJson(string expected, string? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Parse(actual)), $"Expected {expected} but was {actual}");

    /// <summary>A Lambda-invoke Task state calling <paramref name="function"/> with the state's effective input as its payload.</summary>
    protected static string TaskState(string function, string more) => $$"""
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": { "FunctionName": "{{function}}", "Payload.$": "$" },
        {{more}}
        """;

    /// <summary>
    /// A fake clock that reports each timer the engine sets (a Wait, a retry back-off, a timeout), so a
    /// test advances time exactly when the engine is waiting on it and can see how long it waits.
    /// </summary>
    public sealed class ObservedClock() : FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero))
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // Reported once set: a test that advanced the clock before that would leave it waiting for ever.
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>The delay of the next timer the engine sets (waiting for it to be set).</summary>
        public async Task<TimeSpan> NextTimerAsync() =>
            await _timers.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        /// <summary>Waits for the engine's next timer and lets exactly its delay pass.</summary>
        public async Task<TimeSpan> ElapseNextTimerAsync()
        {
            var delay = await NextTimerAsync();
            Advance(delay);
            return delay;
        }
    }
}
