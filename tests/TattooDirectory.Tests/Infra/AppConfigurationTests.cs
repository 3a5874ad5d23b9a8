using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Secrets;
using TattooDirectory.Backends.Aws.Sns;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Backends.Aws.StepFunctions;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Features.Aggregation.Scraping;
using TattooDirectory.Features.Alarms;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Hosting;
using TattooDirectory.Infra;
using TattooDirectory.Tests.Backends.Aws.Wiring;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Tests.Infra;

/// <summary>
/// The stack configures the app exactly as the app reads its configuration: the names the stack
/// writes are the app's own option names, every variable a function gets binds to an option of the
/// app, and each function's environment starts the app in its role with its event endpoint.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class AppConfigurationTests(SynthesizedStack stack)
{
    /// <summary>The option types the functions' variables may bind to, by section; the longest matching section owns a key.</summary>
    private static readonly (string Section, Type Options)[] OptionSections =
    [
        (AwsOptions.Section, typeof(AwsOptions)),
        (TelemetryOptions.Section, typeof(TelemetryOptions)),
        (ScrapeOptions.Section, typeof(ScrapeOptions)),
        (AggregationOptions.Section, typeof(AggregationOptions)),
        (AdminOptions.Section, typeof(AdminOptions)),
        (DenylistOptions.Section, typeof(DenylistOptions)),
        (AlarmOptions.Section, typeof(AlarmOptions)),
    ];

    /// <summary>What the secrets hold once deployed (generated or put there by the operator), by the setting each fills.</summary>
    private static readonly Dictionary<string, string> SecretValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Admin:Token"] = "a-generated-operator-token-of-48-characters-abcd",
        ["Denylist:Key"] = Convert.ToBase64String(new byte[48]),
        ["Aggregation:Sources:GooglePlaces:ApiKey"] = "a-places-key",
    };

    private static string Variable(params string[] path) => string.Join("__", path);

    [Fact]
    public void The_names_the_stack_writes_are_the_apps_own()
    {
        Assert.Equal(nameof(RolesOptions.Roles), RoleSetting);
        Assert.Equal(
            [RolesOptions.Api, RolesOptions.StreamHandler, RolesOptions.WorkflowTask, RolesOptions.ScrapeHandler, RolesOptions.Workers],
            [ApiRole, StreamSyncRole, WorkflowTaskRole, ScrapeRole, WorkersRole]);
        Assert.Equal(WorkersService.AlarmsEnabledSetting, Variable(AlarmOptions.Section, nameof(AlarmOptions.Enabled)));
        Assert.Equal(WorkersService.StreamArnSetting, Variable(AwsOptions.Section, nameof(AwsOptions.Streams), nameof(StreamsOptions.StreamArn)));
        Assert.Equal(
            [RolesOptions.StreamEventsPath, RolesOptions.ScrapeEventsPath, RolesOptions.WorkflowTaskEventsPath],
            [WebAdapter.StreamEventsPath, WebAdapter.ScrapeEventsPath, WebAdapter.WorkflowTaskEventsPath]);
        Assert.Equal(WorkflowTaskSetting, Variable(AwsOptions.Section, nameof(AwsOptions.StepFunctions), nameof(StepFunctionsOptions.Task)));
        Assert.Equal(RegionSetting, Variable(AwsOptions.Section, nameof(AwsOptions.Region)));
        Assert.Equal(TopicArnSetting, Variable(AwsOptions.Section, nameof(AwsOptions.Sns), nameof(SnsOptions.TopicArns), ""));
        Assert.Equal(StateMachineArnSetting, Variable(AwsOptions.Section, nameof(AwsOptions.StepFunctions), nameof(StepFunctionsOptions.StateMachineArns), ""));
        Assert.Equal(QueueSetting, Variable(AwsOptions.Section, nameof(AwsOptions.Sqs), nameof(SqsOptions.Queues), ""));
        Assert.Equal((Variable("", nameof(SqsQueueAddress.Url)), Variable("", nameof(SqsQueueAddress.DeadLetterUrl))), (QueueUrl, DeadLetterQueueUrl));
        Assert.Equal(SecretSetting, Variable(AwsSecrets.Section, ""));
        Assert.Equal(ScrapeJobTimeoutSetting, Variable(ScrapeOptions.Section.Replace(":", "__", StringComparison.Ordinal), nameof(ScrapeOptions.JobTimeout)));
    }

    [Fact]
    public void Every_variable_a_process_gets_binds_to_an_option_of_the_app_with_values_the_app_accepts()
    {
        foreach (var (id, role, environment) in FunctionEnvironment.Processes(stack))
        {
            var configuration = WithSecretValues(FunctionEnvironment.AsConfiguration(environment));
            var task = environment.GetValueOrDefault(WorkflowTaskSetting);

            var bound = Bind(id, configuration);

            Assert.Equal(BackendOptions.Aws, configuration["Backend"]);
            var roles = new ConfigurationBuilder().AddInMemoryCollection(configuration!).Build().Get<RolesOptions>()!;
            Assert.True(RolesOptions.IsValid(roles), id);
            Assert.Equal([role], roles.Enabled);
            var aws = (AwsOptions)bound[typeof(AwsOptions)];
            Assert.True(AwsOptions.IsValid(aws), id);
            Assert.Equal(FunctionEnvironment.Region, aws.Region);
            Assert.All(aws.Sns.TopicArns.Keys, topic => Assert.True(Topics.IsKnown(topic), $"{id}: topic {topic}"));
            Assert.All(aws.StepFunctions.StateMachineArns.Keys, name => Assert.Equal(AggregationNames.StateMachine, name));
            Assert.All(aws.Sqs.Queues.Keys, name => Assert.Contains(name, AggregationModule.Queues.Keys));
            Assert.Equal(task, aws.StepFunctions.Task);
            Assert.True(DenylistOptions.IsValid((DenylistOptions)bound[typeof(DenylistOptions)]), id);
        }
    }

    [Fact]
    public void A_scrape_job_ends_before_its_function_times_out()
    {
        var id = stack.FunctionId(ScrapeRole);
        var scrape = (ScrapeOptions)Bind(id, WithSecretValues(FunctionEnvironment.AsConfiguration(FunctionEnvironment.Of(stack, id))))[typeof(ScrapeOptions)];

        Assert.InRange(scrape.JobTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds((int)stack.Resources[id]!["Properties"]!["Timeout"]! - 15));
    }

    [Fact]
    public void Each_event_function_tells_the_web_adapter_its_roles_endpoint_and_to_fail_on_error_answers_and_the_api_gets_no_adapter_settings()
    {
        foreach (var (id, role, _) in FunctionEnvironment.Functions(stack))
        {
            var adapter = FunctionEnvironment.Of(stack, id).Where(v => FunctionEnvironment.IsWebAdapters(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            var expected = role switch
            {
                ApiRole => [],
                StreamSyncRole => Adapter(RolesOptions.StreamEventsPath),
                ScrapeRole => Adapter(RolesOptions.ScrapeEventsPath),
                WorkflowTaskRole => Adapter(RolesOptions.WorkflowTaskEventsPath),
                _ => throw new InvalidOperationException($"{id} has role {role}."),
            };
            Assert.Equal(expected, adapter);
        }

        static Dictionary<string, string> Adapter(string path) => new(StringComparer.Ordinal)
        {
            [WebAdapter.PassThroughPathSetting] = path,
            [WebAdapter.ErrorStatusCodesSetting] = "400-599",
        };
    }

    [Fact]
    public async Task Every_process_starts_the_app_in_its_role_from_its_environment_and_maps_the_endpoint_its_adapter_posts_to()
    {
        foreach (var (_, role, environment) in FunctionEnvironment.Processes(stack))
        {
            var task = environment.GetValueOrDefault(WorkflowTaskSetting);
            await using var host = await DirectoryHost.StartAsync(seed: false, settings: await OnEmulatorsAsync(WithSecretValues(FunctionEnvironment.AsConfiguration(environment))));

            var posts = host.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith("/events", StringComparison.Ordinal) == true)
                .Select(e => e.RoutePattern.RawText)
                .ToList();
            Assert.Equal(environment.TryGetValue(WebAdapter.PassThroughPathSetting, out var path) ? [path] : [], posts);
            if (task is not null) Assert.Equal(task, host.Service<StepFunctionsTaskHandler>().TaskName);
            Assert.Equal([role], host.Service<Microsoft.Extensions.Options.IOptions<RolesOptions>>().Value.Enabled);
        }
    }

    /// <summary>Binds each section's keys to its option type, refusing any key the type has no property for.</summary>
    private static Dictionary<Type, object> Bind(string functionId, IReadOnlyDictionary<string, string> configuration)
    {
        var bySection = new Dictionary<(string Section, Type Options), Dictionary<string, string?>>();
        foreach (var (key, value) in configuration)
        {
            if (!key.Contains(':', StringComparison.Ordinal))
            {
                Assert.True(typeof(BackendOptions).GetProperty(key) is not null || typeof(RolesOptions).GetProperty(key) is not null, $"{functionId}: {key} is no option of the app.");
                continue;
            }

            var owner = OptionSections.Where(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)).OrderByDescending(s => s.Section.Length).FirstOrDefault();
            Assert.True(owner.Options is not null, $"{functionId}: {key} is in no section of the app's options.");
            (bySection.TryGetValue(owner, out var keys) ? keys : bySection[owner] = new(StringComparer.OrdinalIgnoreCase))[key] = value;
        }

        return OptionSections.ToDictionary(s => s.Options, s =>
        {
            var section = new ConfigurationBuilder().AddInMemoryCollection(bySection.GetValueOrDefault(s) ?? []).Build().GetSection(s.Section);
            return section.Get(s.Options, o => o.ErrorOnUnknownConfiguration = true) ?? Activator.CreateInstance(s.Options)!;
        });
    }

    /// <summary><c>Secrets:&lt;Setting&gt;</c> = ARN replaced by the setting with the secret's value, as AwsSecrets does at start.</summary>
    private static Dictionary<string, string> WithSecretValues(Dictionary<string, string> configuration)
    {
        foreach (var key in configuration.Keys.Where(k => k.StartsWith(AwsSecrets.Section + ":", StringComparison.Ordinal)).ToList())
        {
            Assert.StartsWith("arn:aws:secretsmanager:", configuration[key], StringComparison.Ordinal);
            var setting = key[(AwsSecrets.Section.Length + 1)..];
            configuration[setting] = SecretValues[setting];
            configuration.Remove(key);
        }

        return configuration;
    }

    /// <summary>
    /// The store and blobs at the emulators, every other AWS service and endpoint the function was
    /// given at a closed loopback port: nothing leaves the machine, not even a credentials lookup.
    /// </summary>
    private static async Task<Dictionary<string, string>> OnEmulatorsAsync(Dictionary<string, string> configuration)
    {
        foreach (var (key, value) in await EmulatedAws.SettingsAsync(TestContext.Current.CancellationToken)) configuration[key] = value;
        if (configuration.ContainsKey("Aws:OpenSearch:Endpoint")) configuration["Aws:OpenSearch:Endpoint"] = EmulatedAws.Nowhere;
        foreach (var queue in configuration.Keys.Where(k => k.StartsWith("Aws:Sqs:Queues:", StringComparison.Ordinal)).ToList())
        {
            configuration[queue] = EmulatedAws.Nowhere + new Uri(configuration[queue]).AbsolutePath.TrimStart('/');
        }

        return configuration;
    }
}
