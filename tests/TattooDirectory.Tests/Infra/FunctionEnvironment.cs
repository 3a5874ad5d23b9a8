using System.Text.Json.Nodes;
using TattooDirectory.Infra;

namespace TattooDirectory.Tests.Infra;

/// <summary>
/// A function's environment from the template, as the deployed function would see it: each
/// CloudFormation token (Ref, Fn::GetAtt, Fn::Join, the region) resolved to a value of the shape
/// CloudFormation gives it (an ARN, a queue URL, a name), in an example account and region.
/// </summary>
internal static class FunctionEnvironment
{
    public const string Region = "eu-west-2";
    private const string Account = "123456789012";

    /// <summary>Every variable of the function, by its environment name (<c>Aws__Sqs__...</c>).</summary>
    public static IReadOnlyDictionary<string, string> Of(SynthesizedStack stack, string functionId) =>
        Of(stack, stack.Resources[functionId]!["Properties"]!["Environment"]!["Variables"]!.AsObject());

    /// <summary>A process's variables as the template writes them (<see cref="SynthesizedStack.Processes"/>), resolved.</summary>
    public static IReadOnlyDictionary<string, string> Of(SynthesizedStack stack, JsonObject variables) =>
        variables.ToDictionary(v => v.Key, v => Resolve(stack, v.Value), StringComparer.Ordinal);

    /// <summary>The variables as configuration keys (<c>__</c> → <c>:</c>), the Lambda Web Adapter's own left out.</summary>
    public static Dictionary<string, string> AsConfiguration(IReadOnlyDictionary<string, string> environment) =>
        environment.Where(v => !IsWebAdapters(v.Key)).ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value, StringComparer.OrdinalIgnoreCase);

    public static bool IsWebAdapters(string variable) => variable.StartsWith("AWS_LWA_", StringComparison.Ordinal);

    private static string Resolve(SynthesizedStack stack, JsonNode? value) => value switch
    {
        JsonValue text => (string)text!,
        JsonObject o when o["Ref"] is { } reference => Reference(stack, (string)reference!),
        JsonObject o when o["Fn::GetAtt"] is JsonArray attribute => Attribute(stack, (string)attribute[0]!, (string)attribute[1]!),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(part => Resolve(stack, part))),
        _ => throw new InvalidOperationException($"No resolution for the template value {value?.ToJsonString()}."),
    };

    private static string Reference(SynthesizedStack stack, string id)
    {
        if (id == "AWS::Region") return Region;
        var type = (string)stack.Resources[id]!["Type"]!;
        var name = id.ToLowerInvariant();
        return type switch
        {
            "AWS::SNS::Topic" => $"arn:aws:sns:{Region}:{Account}:{name}",
            "AWS::SQS::Queue" => $"https://sqs.{Region}.amazonaws.com/{Account}/{name}",
            "AWS::SecretsManager::Secret" => $"arn:aws:secretsmanager:{Region}:{Account}:secret:{name}-AbCdEf",
            "AWS::StepFunctions::StateMachine" => $"arn:aws:states:{Region}:{Account}:stateMachine:{name}",
            "AWS::DynamoDB::Table" or "AWS::S3::Bucket" => name,
            _ => throw new InvalidOperationException($"No resolution for a Ref to {type}."),
        };
    }

    private static string Attribute(SynthesizedStack stack, string id, string attribute) => (attribute, (string)stack.Resources[id]!["Type"]!) switch
    {
        ("Arn", "AWS::SQS::Queue") => $"arn:aws:sqs:{Region}:{Account}:{id.ToLowerInvariant()}",
        ("QueueUrl", "AWS::SQS::Queue") => $"https://sqs.{Region}.amazonaws.com/{Account}/{id.ToLowerInvariant()}",
        ("DomainEndpoint", "AWS::OpenSearchService::Domain") => $"vpc-{id.ToLowerInvariant()}.{Region}.es.amazonaws.com",
        ("DomainName", "AWS::CloudFront::Distribution") => "d111111abcdef8.cloudfront.net",
        ("StreamArn", "AWS::DynamoDB::Table") => $"arn:aws:dynamodb:{Region}:{Account}:table/{id.ToLowerInvariant()}/stream/2026-11-27T00:00:00.000",
        var other => throw new InvalidOperationException($"No resolution for Fn::GetAtt {other}."),
    };

    /// <summary>Every process (functions and the workers' container) with its role and resolved environment.</summary>
    public static IEnumerable<(string Id, string Role, IReadOnlyDictionary<string, string> Environment)> Processes(SynthesizedStack stack) =>
        stack.Processes().Select(p => (p.Id, (string)p.Variables[DeploymentNames.RoleSetting]!, Of(stack, p.Variables)));

    /// <summary>The roles' functions, with the workflow task of each task function.</summary>
    public static IEnumerable<(string Id, string Role, string? Task)> Functions(SynthesizedStack stack) =>
        stack.OfType("AWS::Lambda::Function").Select(f => (f.Id,
            SynthesizedStack.Variable(f.Properties, DeploymentNames.RoleSetting)!,
            SynthesizedStack.Variable(f.Properties, DeploymentNames.WorkflowTaskSetting)));
}
