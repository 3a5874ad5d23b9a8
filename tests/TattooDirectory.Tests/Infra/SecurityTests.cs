using System.Text.Json.Nodes;
using TattooDirectory.Core.Notifications;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Tests.Infra;

/// <summary>Least privilege: no wildcard grants, each function reaches only what its role needs, secrets by reference.</summary>
[Collection(InfraCollection.Name)]
public sealed class SecurityTests(SynthesizedStack stack)
{
    private static bool IsEverything(JsonNode? resource) => resource is JsonValue && (string?)resource == "*";

    /// <summary>Every statement of every policy in the template: IAM policies, role inline policies and resource policies.</summary>
    private IEnumerable<(string Owner, JsonObject Statement)> AllStatements()
    {
        static IEnumerable<JsonObject> Walk(JsonNode? node) => node switch
        {
            JsonObject o when o.ContainsKey("Effect") && (o.ContainsKey("Action") || o.ContainsKey("NotAction")) => [o],
            JsonObject o => o.SelectMany(p => Walk(p.Value)),
            JsonArray a => a.SelectMany(Walk),
            _ => [],
        };
        return stack.Resources.SelectMany(r => Walk(r.Value).Select(s => (r.Key, s)));
    }

    [Fact]
    public void No_policy_allows_every_action_on_every_resource()
    {
        var statements = AllStatements().ToList();

        Assert.NotEmpty(statements);
        Assert.DoesNotContain(statements, s => (string?)s.Statement["Effect"] == "Allow"
            && s.Statement.ContainsKey("NotAction"));
        Assert.DoesNotContain(statements, s => (string?)s.Statement["Effect"] == "Allow"
            && SynthesizedStack.Actions(s.Statement).Any(a => a is "*" or "*:*")
            && SynthesizedStack.List(s.Statement["Resource"]).Any(IsEverything));
    }

    [Fact]
    public void No_IAM_policy_grants_a_whole_service_on_every_resource()
    {
        var iam = AllStatements().Where(s => (string?)stack.Resources[s.Owner]!["Type"] is "AWS::IAM::Policy" or "AWS::IAM::Role" or "AWS::IAM::ManagedPolicy");

        Assert.DoesNotContain(iam, s => SynthesizedStack.Actions(s.Statement).Any(a => a.EndsWith(":*", StringComparison.Ordinal))
            && SynthesizedStack.List(s.Statement["Resource"]).Any(IsEverything));
    }

    [Fact]
    public void Only_the_stream_sync_writes_the_search_index_and_only_the_api_searches_it()
    {
        var writers = stack.OfType("AWS::Lambda::Function").Where(f => stack.StatementsOf(f.Id).Any(s => SynthesizedStack.Actions(s).Contains("es:ESHttpPut"))).Select(f => f.Id);
        var readers = stack.OfType("AWS::Lambda::Function").Where(f => stack.StatementsOf(f.Id).Any(s => SynthesizedStack.Actions(s).Contains("es:ESHttpPost"))).Select(f => f.Id);

        Assert.Equal([stack.FunctionId(StreamSyncRole)], writers);
        Assert.Equal(new[] { stack.FunctionId(ApiRole), stack.FunctionId(StreamSyncRole) }.Order(StringComparer.Ordinal), readers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_topic_is_published_to_only_by_the_functions_whose_job_it_is()
    {
        string PublisherOf(string functionId, string topicId) =>
            stack.StatementsOf(functionId).Any(s => SynthesizedStack.Actions(s).Contains("sns:Publish") && (string?)s["Resource"]?["Ref"] == topicId) ? functionId : "";
        var expected = new Dictionary<string, string[]>
        {
            [Topics.RemovalRequests] = [stack.FunctionId(ApiRole)],
            [Topics.RemovalConfirmations] = [stack.FunctionId(ApiRole)],
            [Topics.AggregationReports] = [stack.FunctionId(WorkflowTaskRole, "Report")],
            [Topics.CriticalAlerts] = [stack.FunctionId(WorkflowTaskRole, "NotifyFailure")],
            [Topics.WarningAlerts] = [],
        };

        foreach (var (topic, publishers) in expected)
        {
            var topicId = Assert.Single(stack.OfType("AWS::SNS::Topic"), t => (string?)t.Properties["DisplayName"] == "Tattoo Directory " + topic).Id;
            var actual = stack.OfType("AWS::Lambda::Function").Select(f => PublisherOf(f.Id, topicId)).Where(id => id.Length > 0);
            Assert.Equal(publishers, actual);
        }
    }

    [Fact]
    public void Every_function_reads_the_denylist_key_the_admin_token_reaches_only_the_api_and_the_places_key_only_discovery()
    {
        IReadOnlyList<string> SecretsReadBy(string functionId) => [.. stack.StatementsOf(functionId)
            .Where(s => SynthesizedStack.Actions(s).Contains("secretsmanager:GetSecretValue"))
            .SelectMany(s => SynthesizedStack.List(s["Resource"]))
            .Select(r => (string)r!["Ref"]!)
            .Order(StringComparer.Ordinal)];
        string Secret(string id) => Assert.Single(stack.OfType("AWS::SecretsManager::Secret"), s => s.Id.Contains(id, StringComparison.Ordinal)).Id;
        var (token, key, places) = (Secret("AdminToken"), Secret("DenylistKey"), Secret("GooglePlacesApiKey"));

        // The app guards every table write with the keyed denylist and will not start without the key.
        Assert.All(stack.OfType("AWS::Lambda::Function"), f => Assert.Contains(key, SecretsReadBy(f.Id)));
        Assert.Equal(new[] { key, token }.Order(StringComparer.Ordinal), SecretsReadBy(stack.FunctionId(ApiRole)));
        Assert.Equal(new[] { key, places }.Order(StringComparer.Ordinal), SecretsReadBy(stack.FunctionId(WorkflowTaskRole, "DiscoverStudios")));
        Assert.All(stack.OfType("AWS::Lambda::Function").Where(f => f.Id != stack.FunctionId(ApiRole) && f.Id != stack.FunctionId(WorkflowTaskRole, "DiscoverStudios")),
            f => Assert.Equal([key], SecretsReadBy(f.Id)));
    }

    [Fact]
    public void Secrets_are_generated_by_Secrets_Manager_and_passed_to_functions_by_ARN_never_by_value()
    {
        var secrets = stack.OfType("AWS::SecretsManager::Secret").Select(s => s.Id).ToList();
        var secretVariables = stack.OfType("AWS::Lambda::Function")
            .SelectMany(f => f.Properties["Environment"]!["Variables"]!.AsObject())
            .Where(v => v.Key.StartsWith("Secrets__", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(3, secrets.Count);
        Assert.NotEmpty(secretVariables);
        Assert.All(secretVariables, v => Assert.Contains((string)v.Value!["Ref"]!, secrets));
        Assert.DoesNotContain("resolve:secretsmanager", stack.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_workflow_tasks_other_than_queueing_and_its_drain_check_cannot_touch_the_scrape_queue()
    {
        bool UsesSqs(string functionId) => stack.StatementsOf(functionId).Any(s => SynthesizedStack.Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)));

        Assert.Equal(["QueueScraping", "CheckQueueDrained"], SynthesizedStack.WorkflowTasks.Where(t => UsesSqs(stack.FunctionId(WorkflowTaskRole, t))));
    }
}
