using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Backends.Aws.Streams;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Aws.Wiring;

/// <summary>The whole app on Backend=Aws, with the store and blobs at dynalite and s3rver and nothing else to reach.</summary>
public sealed class AwsBackendHostTests
{
    private const string Nowhere = EmulatedAws.Nowhere;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_starts_on_the_emulators_and_health_names_each_component_it_cannot_reach_with_the_reason()
    {
        var settings = await SettingsAsync();
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);

        using var response = await host.Client.GetAsync("/health", Ct);
        var health = await HealthAsync(host);
        var components = health.GetProperty("components");
        string Status(string name) => components.GetProperty(name).GetProperty("status").GetString()!;
        string Reason(string name) => components.GetProperty(name).GetProperty("reason").GetString()!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(("Healthy", "Healthy"), (Status("store"), Status("blobs")));
        Assert.Equal(("Unhealthy", "Unhealthy", "Unhealthy"), (Status("queue"), Status("topic"), Status("workflow")));
        Assert.Contains("unreachable", Reason("queue"), StringComparison.Ordinal);
        Assert.Contains("unreachable", Reason("topic"), StringComparison.Ordinal);
        Assert.Contains("unreachable", Reason("workflow"), StringComparison.Ordinal);
        Assert.Equal("Degraded", Status("index"));
        Assert.Contains("unreachable", Reason("index"), StringComparison.Ordinal);
        Assert.Equal("Degraded", Status("sync"));
        Assert.Contains("unreachable: HttpRequestException (ConnectionError)", Reason("sync"), StringComparison.Ordinal);
        using var alive = await host.Client.GetAsync("/alive", Ct);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [InlineData("Backend", "Gcp")]
    [InlineData("Denylist:Key", null)]
    public async Task The_app_refuses_to_start_without_a_known_backend_or_the_denylist_key(string key, string? value)
    {
        var settings = new Dictionary<string, string>(await SettingsAsync());
        if (value is null) settings.Remove(key);
        else settings[key] = value;

        await Assert.ThrowsAsync<OptionsValidationException>(() => DirectoryHost.StartAsync(seed: false, settings: settings));
    }

    [Fact]
    public async Task The_stream_handler_role_answers_the_lambda_adapter_with_the_partial_batch_response_and_serves_nothing_else()
    {
        var settings = new Dictionary<string, string>(await SettingsAsync()) { ["Roles"] = "stream-handler" };
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: settings);
        var poison = StreamEvents.Record("INSERT", "111", new ItemKey("ARTIST#artist-aaaa1", "PROFILE"), null,
            new JsonObject { ["PK"] = new JsonObject { ["S"] = "ARTIST#artist-aaaa1" }, ["SK"] = new JsonObject { ["S"] = "PROFILE" }, ["version"] = new JsonObject { ["N"] = "x" } });

        using var answer = await host.Client.PostAsync("/events/dynamodb-stream", Json(new JsonObject { ["Records"] = new JsonArray(poison) }), Ct);
        using var notAnEvent = await host.Client.PostAsync("/events/dynamodb-stream", Json(new JsonObject { ["Records"] = "none" }), Ct);
        using var api = await host.Client.GetAsync("/v1/artists", Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"batchItemFailures":[{"itemIdentifier":"111"}]}"""), JsonNode.Parse(await answer.Content.ReadAsStringAsync(Ct))));
        Assert.Equal(HttpStatusCode.BadRequest, notAnEvent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        var workers = (await HealthAsync(host)).GetProperty("components").GetProperty("workers").GetProperty("data");
        Assert.Equal("disabled: the sync role is not in Roles", workers.GetProperty("sync").GetString());
        Assert.Equal("disabled: the workers role is not in Roles", workers.GetProperty("outbox-relay").GetString());

        static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
    }

    /// <summary>/health answers 503 while a component is unhealthy; the body is the same.</summary>
    private static async Task<JsonElement> HealthAsync(DirectoryHost host)
    {
        using var response = await host.Client.GetAsync("/health", Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    /// <summary>Fresh tables and bucket at the emulators; everything else, the stream included, where nothing listens.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> SettingsAsync()
    {
        var settings = await EmulatedAws.SettingsAsync(Ct);
        settings["Backend"] = "Aws";
        settings["Admin:Token"] = "an-operator-token-long-enough-for-the-rules";
        settings["Denylist:Key"] = Convert.ToBase64String(new byte[32]);
        settings["Aws:Streams:StreamArn"] = "arn:aws:dynamodb:us-east-1:000000000000:table/emulated/stream/2026-11-27T09:00:00.000";
        settings["Aws:OpenSearch:Endpoint"] = Nowhere;
        settings["Aws:Sns:TopicArnPrefix"] = "arn:aws:sns:us-east-1:000000000000:td-";
        settings["Aws:StepFunctions:StateMachineArnPrefix"] = "arn:aws:states:us-east-1:000000000000:stateMachine:td-";
        return settings;
    }
}
