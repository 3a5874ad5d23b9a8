using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>A state machine, or a Map's ItemProcessor: where to start and the states by name.</summary>
internal sealed record StateMachineDefinition(string StartAt, IReadOnlyDictionary<string, StateDefinition> States, int? TimeoutSeconds = null);

/// <summary>
/// One state as loaded and checked. The paths default to <c>$</c>; a null path is the States
/// Language's <c>null</c> (InputPath: the state sees <c>{}</c>; ResultPath: the result is discarded;
/// OutputPath: the state outputs <c>{}</c>).
/// </summary>
internal abstract record StateDefinition(string Name)
{
    /// <summary>The state that follows; null for a terminal state (End, Succeed, Fail) and for Choice.</summary>
    public string? Next { get; init; }

    public ReferencePath? InputPath { get; init; } = ReferencePath.Root;

    public ReferencePath? OutputPath { get; init; } = ReferencePath.Root;

    /// <summary>The "Type" field, which also names the state's history events (TaskStateEntered, …).</summary>
    public abstract string Type { get; }

    /// <summary>The states this one can move to, for checking the definition.</summary>
    public virtual IEnumerable<string> Targets => Next is null ? [] : [Next];

    public HistoryEventType EnteredEvent => Enum.Parse<HistoryEventType>($"{Type}StateEntered");

    /// <summary>Fail states have no exit event: the execution (or iteration) fails as they are entered.</summary>
    public HistoryEventType? ExitedEvent => this is FailState ? null : Enum.Parse<HistoryEventType>($"{Type}StateExited");
}

internal sealed record PassState(string Name) : StateDefinition(Name)
{
    public override string Type => "Pass";

    /// <summary>The "Result" field as JSON text (present, even as null, it is the state's result); text because iterations read it at once.</summary>
    public string? ResultJson { get; init; }

    public PayloadTemplate? Parameters { get; init; }

    public ReferencePath? ResultPath { get; init; } = ReferencePath.Root;
}

/// <summary>The states that produce a result and can fail with it: Task and Map (Retry, Catch, ResultSelector, ResultPath).</summary>
internal abstract record WorkState(string Name) : StateDefinition(Name)
{
    public PayloadTemplate? ResultSelector { get; init; }

    public ReferencePath? ResultPath { get; init; } = ReferencePath.Root;

    public IReadOnlyList<Retrier> Retry { get; init; } = [];

    public IReadOnlyList<Catcher> Catch { get; init; } = [];

    public override IEnumerable<string> Targets => base.Targets.Concat(Catch.Select(c => c.Next));
}

/// <summary>
/// A Lambda invoke (<c>arn:aws:states:::lambda:invoke</c>): <see cref="Function"/> is the logical
/// name resolved from Parameters.FunctionName; the handler gets Parameters.Payload.
/// </summary>
internal sealed record TaskState(string Name, string Function, PayloadTemplate Parameters) : WorkState(Name)
{
    public override string Type => "Task";

    public int? TimeoutSeconds { get; init; }

    public ReferencePath? TimeoutSecondsPath { get; init; }
}

internal sealed record MapState(string Name, StateMachineDefinition Processor) : WorkState(Name)
{
    public override string Type => "Map";

    public ReferencePath ItemsPath { get; init; } = ReferencePath.Root;

    public PayloadTemplate? ItemSelector { get; init; }

    /// <summary>0: as many iterations at once as there are items.</summary>
    public int MaxConcurrency { get; init; }

    public ReferencePath? MaxConcurrencyPath { get; init; }
}

internal sealed record Choice(ChoiceRule Rule, string Next);

internal sealed record ChoiceState(string Name, IReadOnlyList<Choice> Choices, string? Default) : StateDefinition(Name)
{
    public override string Type => "Choice";

    public override IEnumerable<string> Targets => Choices.Select(c => c.Next).Concat(Default is null ? [] : [Default]);
}

/// <summary>Exactly one of the four ways to say how long to wait.</summary>
internal sealed record WaitState(string Name) : StateDefinition(Name)
{
    public override string Type => "Wait";

    public int? Seconds { get; init; }

    public ReferencePath? SecondsPath { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public ReferencePath? TimestampPath { get; init; }
}

internal sealed record SucceedState(string Name) : StateDefinition(Name)
{
    public override string Type => "Succeed";
}

internal sealed record FailState(string Name) : StateDefinition(Name)
{
    public override string Type => "Fail";

    public string? Error { get; init; }

    public ReferencePath? ErrorPath { get; init; }

    public string? Cause { get; init; }

    public ReferencePath? CausePath { get; init; }
}

/// <summary>
/// A Retrier. The wait before retry n (1-based) is IntervalSeconds × BackoffRate^(n−1), capped at
/// MaxDelaySeconds; with FULL jitter it is a random time between zero and that.
/// </summary>
internal sealed record Retrier(IReadOnlyList<string> ErrorEquals, int IntervalSeconds, int MaxAttempts, double BackoffRate, int? MaxDelaySeconds, bool FullJitter)
{
    public TimeSpan DelayBefore(int retry, Random random)
    {
        var seconds = IntervalSeconds * Math.Pow(BackoffRate, retry - 1);
        if (MaxDelaySeconds is { } cap)
        {
            seconds = Math.Min(seconds, cap);
        }

        return TimeSpan.FromSeconds(FullJitter ? seconds * random.NextDouble() : seconds);
    }
}

internal sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, ReferencePath? ResultPath);

/// <summary>How Retry and Catch match error names, with Step Functions' wildcards.</summary>
internal static class ErrorNames
{
    public static bool Match(IReadOnlyList<string> errorEquals, string error) =>
        errorEquals.Any(name => name == error
            || name == WorkflowErrors.All
            || (name == WorkflowErrors.TaskFailed && error != WorkflowErrors.Timeout));
}
