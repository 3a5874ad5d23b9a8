using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using TattooDirectory.Infra;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Infra;

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<SynthesizedStack>
{
    public const string Name = "Synthesized stack";
}

/// <summary>
/// The production stack synthesised once for all the infra tests (synth starts the CDK's Node.js
/// runtime and takes seconds): the template as CDK's assertion <see cref="Template"/> and as JSON.
/// </summary>
public sealed class SynthesizedStack : IDisposable
{
    /// <summary>The task functions the aggregation definition calls, in the order it first calls them.</summary>
    public static readonly string[] WorkflowTasks = ["DiscoverStudios", "FindArtists", "QueueScraping", "CheckQueueDrained", "Report", "NotifyFailure"];

    private readonly TempDirectory _output = new();

    public SynthesizedStack()
    {
        // The app's copy of the workflow definition (the one the local engine runs), so that the
        // stack's own copy (what `cdk deploy` reads) is checked against it, not against itself.
        AppDefinition = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Aggregation", "aggregation.asl.json"));
        var app = new App(new AppProps { Outdir = _output.Path });
        var stack = new DirectoryStack(app, "TattooDirectory", new DirectoryStackProps
        {
            AggregationDefinition = File.ReadAllText(AggregationDefinitionFile.Path),
        });
        var text = File.ReadAllText(app.Synth().GetStackArtifact(stack.ArtifactId).TemplateFullPath);
        Template = Template.FromString(text);
        Json = JsonNode.Parse(text)!.AsObject();
    }

    public string AppDefinition { get; }

    public Template Template { get; }

    public JsonObject Json { get; }

    public JsonObject Resources => Json["Resources"]!.AsObject();

    public IEnumerable<(string Id, JsonObject Properties)> OfType(string type) =>
        Resources.Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!["Properties"]?.AsObject() ?? []));

    /// <summary>The logical id of the Lambda function with this role (and workflow task).</summary>
    public string FunctionId(string role, string? task = null) =>
        Assert.Single(OfType("AWS::Lambda::Function"), f =>
            Variable(f.Properties, DeploymentNames.RoleSetting) == role
            && (task is null || Variable(f.Properties, DeploymentNames.WorkflowTaskSetting) == task)).Id;

    /// <summary>The IAM statements attached to a function's execution role.</summary>
    public IReadOnlyList<JsonObject> StatementsOf(string functionId) =>
        StatementsOfRole((string)Resources[functionId]!["Properties"]!["Role"]!["Fn::GetAtt"]![0]!);

    /// <summary>The IAM statements attached to a role, by its logical id.</summary>
    public IReadOnlyList<JsonObject> StatementsOfRole(string roleId) =>
        [.. OfType("AWS::IAM::Policy")
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))];

    /// <summary>The workers' task definition: the one container of the stack.</summary>
    public (string Id, JsonObject Properties) WorkersTask => Assert.Single(OfType("AWS::ECS::TaskDefinition"));

    public JsonObject WorkersContainer => Assert.Single(WorkersTask.Properties["ContainerDefinitions"]!.AsArray())!.AsObject();

    /// <summary>The role the workers' code runs as (the task role, not the execution role that pulls the image).</summary>
    public string WorkersRoleId => (string)WorkersTask.Properties["TaskRoleArn"]!["Fn::GetAtt"]![0]!;

    /// <summary>
    /// Every process of the app image with the role its code runs as and its environment as the
    /// template writes it: each function, and the workers' container (<see cref="WorkersProcess"/>).
    /// </summary>
    public IEnumerable<(string Id, string RoleId, JsonObject Variables)> Processes() =>
        OfType("AWS::Lambda::Function")
            .Select(f => (f.Id, (string)f.Properties["Role"]!["Fn::GetAtt"]![0]!, f.Properties["Environment"]!["Variables"]!.AsObject()))
            .Append((WorkersProcess, WorkersRoleId, new JsonObject(WorkersContainer["Environment"]!.AsArray()
                .Select(v => KeyValuePair.Create((string)v!["Name"]!, v["Value"]?.DeepClone())))));

    /// <summary>The name <see cref="Processes"/> gives the workers' container.</summary>
    public const string WorkersProcess = "workers-container";

    public static string? Variable(JsonObject function, string name) =>
        (string?)function["Environment"]?["Variables"]?[name];

    /// <summary>A statement's actions as a list, whether the template wrote one or many.</summary>
    public static IReadOnlyList<string> Actions(JsonObject statement) => List(statement["Action"]).Select(a => (string)a!).ToList();

    public static IReadOnlyList<JsonNode?> List(JsonNode? node) => node is JsonArray array ? [.. array] : [node];

    public void Dispose() => _output.Dispose();
}
