using System.Text;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using TattooDirectory.Features.Scheduling;
using TattooDirectory.Infra;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Tests.Infra;

/// <summary>The state machine is the ASL file the local engine runs, with only the task functions' ARNs put in; and its schedule.</summary>
[Collection(InfraCollection.Name)]
public sealed class WorkflowTests(SynthesizedStack stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ArnOf(string task) => $"arn:aws:lambda:eu-west-2:123456789012:function:tattoo-{task}";

    /// <summary>The template's definition with each function reference written as that function's (example) ARN.</summary>
    private string DeployedDefinition()
    {
        var machine = Assert.Single(stack.OfType("AWS::StepFunctions::StateMachine")).Properties;
        var parts = machine["DefinitionString"]!["Fn::Join"]!.AsArray();
        Assert.Equal("", (string)parts[0]!);
        var text = new StringBuilder();
        foreach (var part in parts[1]!.AsArray())
        {
            if (part is JsonValue literal)
            {
                text.Append((string)literal!);
                continue;
            }

            var function = stack.Resources[(string)part!["Fn::GetAtt"]![0]!]!["Properties"]!.AsObject();
            Assert.Equal("Arn", (string)part["Fn::GetAtt"]![1]!);
            Assert.Equal(WorkflowTaskRole, SynthesizedStack.Variable(function, RoleSetting));
            text.Append(ArnOf(SynthesizedStack.Variable(function, WorkflowTaskSetting)!));
        }
        return text.ToString();
    }

    [Fact]
    public void The_stack_deploys_the_same_file_the_local_engine_runs()
    {
        Assert.Equal(stack.AppDefinition, File.ReadAllText(AggregationDefinitionFile.Path));
    }

    [Fact]
    public void The_definition_in_the_template_is_the_file_byte_for_byte_with_only_the_task_function_names_replaced()
    {
        var expected = SynthesizedStack.WorkflowTasks.Aggregate(stack.AppDefinition, (text, task) => text.Replace("${" + task + "}", ArnOf(task), StringComparison.Ordinal));

        Assert.Equal(SynthesizedStack.WorkflowTasks, AggregationWorkflow.TaskNamesIn(stack.AppDefinition));
        Assert.Equal(expected, DeployedDefinition());
    }

    [Fact]
    public async Task The_deployed_definition_is_valid_Amazon_States_Language_for_asl_validator()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("deployed.asl.json");
        await File.WriteAllTextAsync(path, DeployedDefinition(), Ct);

        var (exitCode, output) = await AslValidator.RunAsync(path, Ct);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void The_state_machine_may_invoke_each_task_function_and_logs_errors_without_execution_data()
    {
        var machine = Assert.Single(stack.OfType("AWS::StepFunctions::StateMachine"));
        var role = (string)machine.Properties["RoleArn"]!["Fn::GetAtt"]![0]!;
        var invoked = stack.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == role))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
            .Where(s => SynthesizedStack.Actions(s!.AsObject()).Contains("lambda:InvokeFunction"))
            .SelectMany(s => SynthesizedStack.List(s!["Resource"]))
            .Where(r => r is JsonObject { } o && o.ContainsKey("Fn::GetAtt"))
            .Select(r => (string)r!["Fn::GetAtt"]![0]!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(SynthesizedStack.WorkflowTasks.Select(t => stack.FunctionId(WorkflowTaskRole, t)).ToHashSet(StringComparer.Ordinal), invoked);
        stack.Template.HasResourceProperties("AWS::StepFunctions::StateMachine", new Dictionary<string, object>
        {
            ["StateMachineType"] = "STANDARD",
            ["LoggingConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["Level"] = "ERROR", ["IncludeExecutionData"] = false }),
            ["TracingConfiguration"] = new Dictionary<string, object> { ["Enabled"] = true },
        });
    }

    [Fact]
    public void A_definition_calling_a_task_the_stack_has_no_function_for_fails_the_synth()
    {
        var definition = stack.AppDefinition.Replace("${Report}", "${Publish}", StringComparison.Ordinal);

        var refused = Assert.Throws<InvalidOperationException>(() =>
            new DirectoryStack(new Amazon.CDK.App(), "Refused", new DirectoryStackProps { AggregationDefinition = definition }));

        Assert.Contains("'Publish'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_daily_rule_starts_the_state_machine_on_the_apps_schedule_with_the_default_input()
    {
        var machine = Assert.Single(stack.OfType("AWS::StepFunctions::StateMachine")).Id;

        Assert.Equal(AggregationSchedule, new SchedulingOptions().Rules[SchedulingOptions.AggregationDaily].Expression);
        stack.Template.HasResourceProperties("AWS::Events::Rule", new Dictionary<string, object>
        {
            ["ScheduleExpression"] = "cron(0 2 * * ? *)",
            ["State"] = "ENABLED",
            ["Targets"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object> { ["Arn"] = new Dictionary<string, object> { ["Ref"] = machine }, ["Input"] = "{}" }),
            },
        });
    }
}
