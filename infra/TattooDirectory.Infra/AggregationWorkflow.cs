using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;
using Constructs;
using TattooDirectory.Core.Aggregation;

namespace TattooDirectory.Infra;

/// <summary>
/// The aggregation run (product.md §7) on Step Functions, from the very ASL file the local executor
/// runs: the definition goes into the template as the file's text with each task's
/// <c>"FunctionName": "${Name}"</c> replaced by the ARN of its function, and nothing else changed.
/// The replacement is made here (an Fn::Join around the ARNs) rather than by CloudFormation's
/// DefinitionSubstitutions, because the file's own Comment mentions <c>"${Name}"</c>, which
/// LocalStack refuses as an unknown substitution. Started daily by an EventBridge rule with the
/// schedule of SchedulingOptions.
/// </summary>
internal sealed partial class AggregationWorkflow : Construct
{
    public AggregationWorkflow(Construct scope, string id, string definition, IReadOnlyDictionary<string, DockerImageFunction> tasks)
        : base(scope, id)
    {
        var resolved = definition;
        var substituted = new List<string>();
        foreach (var name in TaskNamesIn(definition))
        {
            if (!tasks.TryGetValue(name, out var function))
            {
                throw new InvalidOperationException($"aggregation.asl.json calls a task '{name}' that the stack has no function for.");
            }
            resolved = resolved.Replace("${" + name + "}", function.FunctionArn, StringComparison.Ordinal);
            substituted.Add(name);
        }

        StateMachine = new StateMachine(this, "StateMachine", new StateMachineProps
        {
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromString(resolved),
            TracingEnabled = true,
            // Errors only, and without the execution data: payloads can name artists.
            Logs = new LogOptions
            {
                Destination = new LogGroup(this, "Logs", new LogGroupProps { Retention = AppFunctions.LogRetention, RemovalPolicy = RemovalPolicy.DESTROY }),
                Level = LogLevel.ERROR,
                IncludeExecutionData = false,
            },
        });
        foreach (var name in substituted) tasks[name].GrantInvoke(StateMachine);

        Schedule = new Rule(this, "Daily", new RuleProps
        {
            Description = "The nightly aggregation run (Scheduling:Rules:aggregation-daily).",
            Schedule = Amazon.CDK.AWS.Events.Schedule.Expression(DeploymentNames.AggregationSchedule),
            // The local scheduler's default input: the run uses the configured cities.
            Targets = [new SfnStateMachine(StateMachine, new SfnStateMachineProps { Input = RuleTargetInput.FromObject(new Dictionary<string, object>()) })],
        });
    }

    public StateMachine StateMachine { get; }

    public Rule Schedule { get; }

    /// <summary>The logical function names a definition's task states call (<c>"FunctionName": "${Name}"</c>), each once, in order of first use.</summary>
    public static IReadOnlyList<string> TaskNamesIn(string definition) =>
        [.. FunctionNamePlaceholder().Matches(definition).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"""FunctionName""\s*:\s*""\$\{([A-Za-z][A-Za-z0-9]*)\}""")]
    private static partial Regex FunctionNamePlaceholder();
}
