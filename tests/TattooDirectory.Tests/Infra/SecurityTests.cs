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
    public void Only_the_stream_sync_writes_the_search_index_and_only_the_api_and_the_workers_purge_search_it()
    {
        IEnumerable<string> With(string action) => stack.Processes().Where(p => stack.StatementsOfRole(p.RoleId).Any(s => SynthesizedStack.Actions(s).Contains(action))).Select(p => p.Id);

        Assert.Equal([stack.FunctionId(StreamSyncRole)], With("es:ESHttpPut"));
        Assert.Equal(new[] { stack.FunctionId(ApiRole), stack.FunctionId(StreamSyncRole), SynthesizedStack.WorkersProcess }.Order(StringComparer.Ordinal), With("es:ESHttpPost").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_workers_outbox_relay_publishes_to_the_topics_every_other_process_writes_its_notifications_to_the_outbox()
    {
        foreach (var topic in Topics.All)
        {
            var topicId = Assert.Single(stack.OfType("AWS::SNS::Topic"), t => (string?)t.Properties["DisplayName"] == "Tattoo Directory " + topic).Id;
            var publishers = stack.Processes()
                .Where(p => stack.StatementsOfRole(p.RoleId).Any(s => SynthesizedStack.Actions(s).Contains("sns:Publish") && (string?)s["Resource"]?["Ref"] == topicId))
                .Select(p => p.Id);

            Assert.Equal([SynthesizedStack.WorkersProcess], publishers);
        }
    }

    [Fact]
    public void Every_process_reads_the_denylist_key_the_admin_token_reaches_only_the_api_and_the_places_key_only_discovery()
    {
        IReadOnlyList<string> SecretsReadBy(string roleId) => [.. stack.StatementsOfRole(roleId)
            .Where(s => SynthesizedStack.Actions(s).Contains("secretsmanager:GetSecretValue"))
            .SelectMany(s => SynthesizedStack.List(s["Resource"]))
            .Select(r => (string)r!["Ref"]!)
            .Order(StringComparer.Ordinal)];
        string Secret(string id) => Assert.Single(stack.OfType("AWS::SecretsManager::Secret"), s => s.Id.Contains(id, StringComparison.Ordinal)).Id;
        var (token, key, places) = (Secret("AdminToken"), Secret("DenylistKey"), Secret("GooglePlacesApiKey"));
        var (api, discover) = (stack.FunctionId(ApiRole), stack.FunctionId(WorkflowTaskRole, "DiscoverStudios"));

        // The app guards every table write with the keyed denylist and will not start without the key.
        foreach (var (id, roleId, _) in stack.Processes())
        {
            var expected = id == api ? [key, token] : id == discover ? [key, places] : new[] { key };
            Assert.Equal(expected.Order(StringComparer.Ordinal), SecretsReadBy(roleId));
        }
    }

    [Fact]
    public void Secrets_are_generated_by_Secrets_Manager_and_passed_to_every_process_by_ARN_never_by_value()
    {
        var secrets = stack.OfType("AWS::SecretsManager::Secret").Select(s => s.Id).ToList();
        var secretVariables = stack.Processes()
            .SelectMany(p => p.Variables)
            .Where(v => v.Key.StartsWith("Secrets__", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(3, secrets.Count);
        Assert.Equal(stack.Processes().Count() + 2, secretVariables.Count);
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
