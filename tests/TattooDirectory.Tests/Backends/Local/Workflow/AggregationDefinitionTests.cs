using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>
/// The aggregation run's one definition (Features/Aggregation/aggregation.asl.json, the file the
/// CDK deploys) on the local engine with fake handlers, and through asl-validator.
/// </summary>
public sealed class AggregationDefinitionTests : WorkflowTestBase
{
    private const string Aggregation = "aggregation";
    private const string RunName = "run-2025-03-01";

    private static readonly string DefinitionPath = Path.Combine(AppContext.BaseDirectory, "Features", "Aggregation", "aggregation.asl.json");

    private readonly ConcurrentQueue<(string Function, JsonNode? Payload)> _calls = new();
    private int _polls;

    public AggregationDefinitionTests()
    {
        Fake("DiscoverStudios", _ => Studios("s1", "s2", "s3"));
        Fake("FindArtists", payload => payload!["studio"]!["id"]!.GetValue<string>() == "s2"
            ? throw new WorkflowTaskException("Studio.Unreachable", "site down")
            : new JsonObject { ["studioId"] = payload["studio"]!["id"]!.DeepClone(), ["artists"] = 2 });
        Fake("QueueScraping", _ => new JsonObject { ["scrapeId"] = "scrape-1", ["queued"] = 4, ["skipped"] = 0 });
        Fake("CheckQueueDrained", _ => new JsonObject { ["drained"] = Interlocked.Increment(ref _polls) >= 2 });
        Fake("Report", payload => new JsonObject { ["report"] = "sent", ["drained"] = payload!["drained"]!.DeepClone(), ["polls"] = payload["polls"]!.DeepClone() });
        Fake("NotifyFailure", _ => new JsonObject());
    }

    private IEnumerable<JsonNode?> PayloadsOf(string function) => _calls.Where(c => c.Function == function).Select(c => c.Payload);

    private void Fake(string function, Func<JsonNode?, JsonNode?> handler) =>
        Handle(function, payload =>
        {
            _calls.Enqueue((function, payload?.DeepClone()));
            return handler(payload);
        });

    private static JsonObject Studios(params string[] ids) => new() { ["studios"] = new JsonArray([.. ids.Select(id => new JsonObject { ["id"] = id })]) };

    private async Task<string> StartRunAsync()
    {
        Open((Aggregation, await File.ReadAllTextAsync(DefinitionPath, Ct)));
        return (await Engine.StartExecutionAsync(Aggregation, """{ "cities": ["Leeds"] }""", RunName, Ct)).ExecutionArn;
    }

    [Fact]
    public async Task The_definition_loads_with_the_six_aggregation_handlers_and_not_without_one()
    {
        var definition = await File.ReadAllTextAsync(DefinitionPath, Ct);
        Open((Aggregation, definition));

        var refused = Assert.Throws<WorkflowDefinitionException>(() => new LocalWorkflowEngine(
            new Dictionary<string, string> { [Aggregation] = definition },
            new[] { "DiscoverStudios", "FindArtists", "QueueScraping", "CheckQueueDrained", "Report" }.Select(n => WorkflowTask.Create(n, (p, _) => Task.FromResult(p))),
            DatabasePath, Clock, NullLogger<LocalWorkflowEngine>.Instance));

        Assert.Contains(refused.Problems, p => p.Contains("'NotifyFailure' names no registered task handler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_finds_artists_per_studio_queues_them_waits_for_the_drain_and_reports_with_one_studio_failing()
    {
        var arn = await StartRunAsync();
        var waits = new[] { await Clock.ElapseNextTimerAsync(), await Clock.ElapseNextTimerAsync() };
        var execution = await EndOfAsync(arn);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.All(waits, w => Assert.Equal(TimeSpan.FromSeconds(30), w));
        AssertJson("""{ "report": "sent", "drained": true, "polls": 2 }""", execution.Output);
        AssertJson($$"""{ "runId": "{{RunName}}", "request": { "cities": ["Leeds"] } }""", Assert.Single(PayloadsOf("DiscoverStudios"))?.ToJsonString());
        Assert.Equal(["s1", "s2", "s3"], PayloadsOf("FindArtists").Select(p => p!["studio"]!["id"]!.GetValue<string>()).Order());
        Assert.All(PayloadsOf("FindArtists"), p => Assert.Equal(RunName, p!["runId"]!.GetValue<string>()));
        AssertJson($$"""
            {
              "runId": "{{RunName}}",
              "studios": [
                { "studioId": "s1", "artists": 2 },
                { "studio": { "id": "s2" }, "failed": true, "error": "Studio.Unreachable" },
                { "studioId": "s3", "artists": 2 }
              ]
            }
            """, Assert.Single(PayloadsOf("QueueScraping"))?.ToJsonString());
        Assert.Equal([1, 2], PayloadsOf("CheckQueueDrained").Select(p => p!["polls"]!.GetValue<int>()));
        var report = Assert.Single(PayloadsOf("Report"))!;
        AssertJson("""{ "scrapeId": "scrape-1", "queued": 4, "skipped": 0 }""", report["queueing"]!.ToJsonString());
        Assert.Equal((true, 2, 3), (report["drained"]!.GetValue<bool>(), report["polls"]!.GetValue<int>(), report["studios"]!.AsArray().Count));
        Assert.Empty(PayloadsOf("NotifyFailure"));
    }

    [Fact]
    public async Task A_failure_outside_a_studio_raises_NotifyFailure_and_fails_the_run_with_the_original_error()
    {
        Fake("DiscoverStudios", _ => throw new WorkflowTaskException("Overpass.Refused", "HTTP 400"));

        var execution = await EndOfAsync(await StartRunAsync());

        Assert.Equal((ExecutionStatus.Failed, "Overpass.Refused", "HTTP 400"), (execution.Status, execution.Error, execution.Cause));
        AssertJson($$"""{ "runId": "{{RunName}}", "error": "Overpass.Refused", "cause": "HTTP 400" }""", Assert.Single(PayloadsOf("NotifyFailure"))?.ToJsonString());
        Assert.Empty(PayloadsOf("FindArtists"));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_with_jittered_back_off_before_it_counts()
    {
        var attempts = 0;
        Fake("DiscoverStudios", _ => Interlocked.Increment(ref attempts) <= 2 ? throw new WorkflowTaskException(WorkflowErrors.Transient, "503") : Studios());
        Fake("CheckQueueDrained", _ => new JsonObject { ["drained"] = true });

        var arn = await StartRunAsync();
        var waits = new[] { await Clock.ElapseNextTimerAsync(), await Clock.ElapseNextTimerAsync(), await Clock.ElapseNextTimerAsync() };
        var execution = await EndOfAsync(arn);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.InRange(waits[0], TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.InRange(waits[1], TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(TimeSpan.FromSeconds(30), waits[2]);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task The_drain_watch_gives_up_after_240_polls_and_reports_what_it_has()
    {
        Fake("DiscoverStudios", _ => Studios());
        Fake("CheckQueueDrained", _ => new JsonObject { ["drained"] = false });

        var arn = await StartRunAsync();
        for (var poll = 0; poll < 240; poll++)
        {
            await Clock.ElapseNextTimerAsync();
        }

        var execution = await EndOfAsync(arn);

        AssertJson("""{ "report": "sent", "drained": false, "polls": 240 }""", execution.Output);
        Assert.Equal(240, PayloadsOf("CheckQueueDrained").Count());
    }

    [Fact]
    public async Task The_definition_is_valid_Amazon_States_Language_for_asl_validator()
    {
        var (exitCode, output) = await AslValidator.RunAsync(DefinitionPath, Ct);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Asl_validator_refuses_a_definition_with_a_transition_to_nowhere()
    {
        using var directory = new TempDirectory();
        var broken = directory.Combine("broken.asl.json");
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(DefinitionPath, Ct))!;
        definition["States"]!["Report"]!["Next"] = "Nowhere";
        await File.WriteAllTextAsync(broken, definition.ToJsonString(), Ct);

        var (exitCode, output) = await AslValidator.RunAsync(broken, Ct);

        Assert.True(exitCode == 1, output);
    }
}
