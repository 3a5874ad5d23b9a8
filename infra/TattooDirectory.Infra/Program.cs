using Amazon.CDK;

namespace TattooDirectory.Infra;

/// <summary>The CDK app (<c>cdk synth</c> / <c>cdk deploy</c> run it through infra/cdk.json).</summary>
internal static class InfraProgram
{
    public static void Main()
    {
        var app = new App();
        var repository = app.Node.TryGetContext("appImageRepository") as string;
        var definition = File.ReadAllText(AggregationDefinitionFile.Path);
        _ = new DirectoryStack(app, "TattooDirectory", new DirectoryStackProps
        {
            AggregationDefinition = definition,
            AppImageRepository = string.IsNullOrWhiteSpace(repository) ? "tattoo-directory" : repository,
            Description = "Tattoo Directory: the searchable directory of UK tattoo artists.",
        });
        app.Synth();
    }
}

/// <summary>Where the build puts the workflow definition: linked from src/TattooDirectory/Features/Aggregation, never copied by hand.</summary>
public static class AggregationDefinitionFile
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Workflow", "aggregation.asl.json");
}
