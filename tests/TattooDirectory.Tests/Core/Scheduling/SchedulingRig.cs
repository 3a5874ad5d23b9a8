using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Tests.Backends.Local.Workflow;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Scheduling;

/// <summary>
/// Rules over the real Local store, firing a one-state machine on real Local workflow engines (one
/// file each, so two "instances" can each have their own), all on one observed fake clock.
/// </summary>
internal sealed class SchedulingRig : IAsyncDisposable
{
    public const string Machine = "nightly";
    public const string RuleName = "nightly-run";
    public const string Input = """{"source":"schedule"}""";
    private const string Definition = """{ "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } }""";

    private readonly LocalBackendRig _backend = new();
    private readonly TempDirectory _workflows = new();
    private readonly Dictionary<string, LocalWorkflowEngine> _engines = new(StringComparer.Ordinal);

    public SchedulingRig() => Clock.SetUtcNow(At("2026-11-27T09:00Z"));

    /// <summary>The clock of rules, runners, schedulers and engines (Friday 27 November 2026, 09:00 UTC at first).</summary>
    public WorkflowTestBase.ObservedClock Clock { get; } = new();

    public ITable Table => _backend.Table;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static ScheduleRule Rule(string expression, bool enabled = true, string target = Machine) =>
        new(RuleName, ScheduleExpression.Parse(expression), target, Input, enabled);

    public void SetTime(string text) => Clock.SetUtcNow(At(text));

    /// <summary>The engine over the workflow file <paramref name="file"/>, opened on first use.</summary>
    public LocalWorkflowEngine Engine(string file = LocalWorkflowEngine.FileName)
    {
        if (!_engines.TryGetValue(file, out var engine))
        {
            engine = new LocalWorkflowEngine(new Dictionary<string, string> { [Machine] = Definition }, [], _workflows.Combine(file), Clock, NullLogger<LocalWorkflowEngine>.Instance);
            _engines[file] = engine;
        }

        return engine;
    }

    public ScheduleBook Book(params ScheduleRule[] rules) => new(rules, Table, Clock);

    public ScheduleRunner Runner(ScheduleBook book, IWorkflowEngine? engine = null) =>
        new(book, engine ?? Engine(), Clock, NullLogger<ScheduleRunner>.Instance);

    public ScheduleRunner Runner(params ScheduleRule[] rules) => Runner(Book(rules));

    /// <summary>The names of the executions an engine holds, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ExecutionNamesAsync(string file = LocalWorkflowEngine.FileName)
    {
        var page = await Engine(file).ListExecutionsAsync(Machine, maxResults: 1000, cancellationToken: Ct);
        return [.. page.Executions.Select(e => e.Name).Order(StringComparer.Ordinal)];
    }

    public async Task<ScheduleState?> StateAsync() =>
        await Table.GetAsync(Keys.Schedule(RuleName), Ct) is { } item ? ScheduleItems.Read(item) : null;

    /// <summary>Replaces the stored state as another process would have left it.</summary>
    public async Task PutStateAsync(ScheduleState state) =>
        await Table.PutAsync(ScheduleItems.ToItem(state), ScheduleItems.Unchanged(state), Ct);

    /// <summary>Closes the engines and the store and reopens them from disk, as a process restart would.</summary>
    public async Task RestartAsync()
    {
        await CloseEnginesAsync();
        _backend.Restart();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseEnginesAsync();
        _backend.Dispose();
        _workflows.Dispose();
    }

    private async Task CloseEnginesAsync()
    {
        foreach (var engine in _engines.Values) await engine.DisposeAsync();
        _engines.Clear();
    }
}
