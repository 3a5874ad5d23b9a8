namespace TattooDirectory.Backends.Aws.StepFunctions;

/// <summary>
/// The <c>Aws:StepFunctions</c> section: the state machine behind each workflow name (an ARN in
/// <see cref="StateMachineArns"/>, else <see cref="StateMachineArnPrefix"/> followed by the name),
/// and, in a task-handler Lambda function, which <c>IWorkflowTask</c> it runs.
/// </summary>
public sealed class StepFunctionsOptions : AwsServiceOptions
{
    public Dictionary<string, string> StateMachineArns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For example <c>arn:aws:states:eu-west-2:123456789012:stateMachine:tattoo-</c>.</summary>
    public string? StateMachineArnPrefix { get; set; }

    /// <summary>
    /// The task (a <c>${Name}</c> of the ASL definition, e.g. <c>DiscoverStudios</c>) this process
    /// runs when it is deployed as that task's Lambda function; empty in every other role.
    /// </summary>
    public string? Task { get; set; }

    internal bool IsValid => StateMachineArns.Values.All(v => !string.IsNullOrEmpty(v) && IsArnOrEmpty(v)) && IsArnOrEmpty(StateMachineArnPrefix);
}
