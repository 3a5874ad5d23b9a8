namespace TattooDirectory.Backends.Local.Workflow;

/// <summary>A state machine definition that the local executor cannot run, with every problem found.</summary>
public sealed class WorkflowDefinitionException(string stateMachineName, IReadOnlyList<string> problems)
    : FormatException($"The definition of state machine '{stateMachineName}' is not valid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}")
{
    public string StateMachineName => stateMachineName;

    public IReadOnlyList<string> Problems => problems;
}
