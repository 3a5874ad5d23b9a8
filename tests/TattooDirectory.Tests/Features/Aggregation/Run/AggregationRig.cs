using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Queues;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Features.Aggregation.Discovery;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Features.Aggregation.Run;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>One demo web for a test class: starting it draws nothing, but binding 37 ports is worth sharing.</summary>
public sealed class DemoWebFixture : IAsyncLifetime
{
    public DemoWebServer Web { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Web = await DemoWebServer.StartAsync(new DemoWebOptions());

    public async ValueTask DisposeAsync() => await Web.DisposeAsync();
}

/// <summary>
/// The aggregation handlers as the app builds them, on the Local backend rig (real SQLite, Lucene,
/// files on a fake clock), a real queue file, and a fetcher pointed at the demo web with the
/// system clock (its politeness waits are turned off, so nothing waits on the fake one).
/// </summary>
internal sealed class AggregationRig : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services;
    private LocalWorkflowEngine? _engine;

    public AggregationRig(DemoWebServer web, IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Aggregation:Fetch:ContactUrl"] = "https://directory.test/bot",
            ["Aggregation:Fetch:MinHostInterval"] = "00:00:00",
            ["Aggregation:Fetch:MaxCrawlDelay"] = "00:00:00",
            ["Aggregation:Fetch:TotalTimeout"] = "00:00:10",
            ["Aggregation:Cities:0"] = "Leeds",
        };
        foreach (var (key, value) in web.AppSettings) config[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        Queues = new SqliteQueues(Path.Combine(_dir.Path, SqliteQueues.FileName), Backend.Time);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Backend.Time);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _dir.Path });
        services.AddSingleton(Backend.Table);
        services.AddSingleton(Backend.Catalog);
        services.AddSingleton(Backend.Denylist);
        services.AddSingleton<IQueues>(Queues);
        services.AddOptions<AggregationOptions>().BindConfiguration(AggregationOptions.Section);
        // The fetcher keeps the system clock: its timeouts and politeness must run in real time.
        services.AddSingleton(sp => new WebFetcher(sp.GetRequiredService<IOptions<FetchOptions>>(), FetchNetwork.System, TimeProvider.System, NullLogger<WebFetcher>.Instance));
        services.AddWebFetcher();
        services.AddSingleton<IStudioSource, OverpassSource>();
        services.AddSingleton<IStudioSource, GooglePlacesSource>();
        services.AddSingleton<IStudioSource, StaticListSource>();
        services.AddSingleton<ArtistFinder>();
        services.AddSingleton<IWorkflowTask, DiscoverStudiosTask>();
        services.AddSingleton<IWorkflowTask, FindArtistsTask>();
        services.AddSingleton<IWorkflowTask, QueueScrapingTask>();
        services.AddSingleton<IWorkflowTask, CheckQueueDrainedTask>();
        services.AddSingleton<IWorkflowTask, ReportTask>();
        services.AddSingleton<IWorkflowTask, NotifyFailureTask>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public LocalBackendRig Backend { get; } = new();

    public SqliteQueues Queues { get; }

    public IQueue ScrapeQueue => Queues.Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);

    public T Service<T>() where T : notnull => _services.GetRequiredService<T>();

    public IWorkflowTask Task(string name) => _services.GetServices<IWorkflowTask>().Single(t => t.Name == name);

    public IStudioSource Source(string name) => _services.GetServices<IStudioSource>().Single(s => s.Name == name);

    public Task<JsonNode?> InvokeAsync(string task, JsonNode payload) => Task(task).InvokeAsync(payload, TestContext.Current.CancellationToken);

    /// <summary>The engine with the app's aggregation definition and these handlers, on the fake clock.</summary>
    public LocalWorkflowEngine Engine => _engine ??= new LocalWorkflowEngine(
        new Dictionary<string, string> { [AggregationNames.StateMachine] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Aggregation", "aggregation.asl.json")) },
        _services.GetServices<IWorkflowTask>(),
        Path.Combine(_dir.Path, LocalWorkflowEngine.FileName),
        Backend.Time,
        NullLogger<LocalWorkflowEngine>.Instance);

    /// <summary>
    /// Stands in for the scrape worker: takes every visible job and records <paramref name="outcome"/>
    /// for it, as the worker does. Returns how many it took.
    /// </summary>
    public async Task<int> DrainJobsAsync(ScrapeOutcomeKind outcome = ScrapeOutcomeKind.New)
    {
        var ct = TestContext.Current.CancellationToken;
        var taken = 0;
        while (await ScrapeQueue.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: ct) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
            {
                var job = RunRecords.ReadJob(message.Body);
                var artistId = AggregationNames.ArtistIdFor(job.ProfileUrl);
                await Backend.Table.PutAsync(RunRecords.OutcomeItem(job.RunId, new ScrapeOutcome(job.ScrapeId, outcome, artistId, null, Backend.Time.GetUtcNow())), cancellationToken: ct);
                await ScrapeQueue.DeleteAsync(message.ReceiptHandle, ct);
                taken++;
            }
        }

        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        await _services.DisposeAsync();
        Queues.Dispose();
        Backend.Dispose();
        _dir.Dispose();
    }
}
