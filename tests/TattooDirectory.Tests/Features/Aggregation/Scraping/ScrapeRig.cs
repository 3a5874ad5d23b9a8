using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local;
using TattooDirectory.Backends.Local.Queues;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Features.Aggregation.Scraping;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Aggregation.Scraping;

/// <summary>
/// The scrape worker's pieces as <c>AddScrapeWorker</c> registers them, over the real Local store,
/// blobs and SQLite queue in a temp directory, with a fake clock for the store and queue. The
/// fetcher runs on the real clock (its timeout must really end the demo web's slow page) and its
/// network edge records every connection and refuses any off loopback.
/// </summary>
internal sealed class ScrapeRig : IAsyncDisposable
{
    public const string ContactUrl = "https://directory.test/bot";

    private readonly TempDirectory _dir = new();
    private readonly LocalStores _stores;
    private readonly SqliteQueues _queues;
    private readonly ServiceProvider _services;

    public ScrapeRig(IEnumerable<int> allowedPorts, IDictionary<string, string?>? settings = null)
    {
        _stores = new LocalStores(_dir.Path, Time);
        _queues = new SqliteQueues(_dir.Combine(SqliteQueues.FileName), Time);
        var config = new Dictionary<string, string?>
        {
            ["Aggregation:Fetch:ContactUrl"] = ContactUrl,
            ["Aggregation:Fetch:MinHostInterval"] = "00:00:00",
            ["Aggregation:Fetch:ConnectTimeout"] = "00:00:05",
            ["Aggregation:Fetch:TotalTimeout"] = "00:00:10",
        };
        foreach (var (port, i) in allowedPorts.Select((p, i) => (p, i)))
        {
            config[$"Aggregation:Fetch:AllowedHosts:{i.ToString(CultureInfo.InvariantCulture)}"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        services.AddLogging(l => l.AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new FetchNetwork(FetchNetwork.System.Resolve, RecordConnectAsync));
        services.AddSingleton(sp => new WebFetcher(sp.GetRequiredService<IOptions<FetchOptions>>(), sp.GetRequiredService<FetchNetwork>(), TimeProvider.System, sp.GetRequiredService<ILogger<WebFetcher>>()));
        services.AddSingleton<IQueues>(_queues);
        services.AddSingleton(_stores.Table);
        services.AddSingleton(_stores.BlobStore);
        services.AddSingleton(_stores.Denylist);
        services.AddSingleton<ArtistCatalog>();
        services.AddScrapeWorker();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _services.GetRequiredService<IStartupValidator>().Validate();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public CapturedLogs Logs { get; } = new();

    /// <summary>Every endpoint the fetcher connected to (or tried to).</summary>
    public ConcurrentQueue<IPEndPoint> Connections { get; } = new();

    public ITable Table => _stores.Table;

    public IBlobStore Blobs => _stores.BlobStore;

    public Denylist Denylist => _stores.Denylist;

    public ArtistCatalog Catalog => _services.GetRequiredService<ArtistCatalog>();

    public WebFetcher Fetcher => _services.GetRequiredService<WebFetcher>();

    public ArtistScraper Scraper => _services.GetRequiredService<ArtistScraper>();

    /// <summary>The hosted service <c>AddScrapeWorker</c> registered (not started until a test starts it).</summary>
    public Microsoft.Extensions.Hosting.IHostedService Worker => _services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ScrapeWorker>().Single();

    public ScrapeConsumer Consumer => _services.GetRequiredService<ScrapeConsumer>();

    public IQueue Queue => _queues.Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);

    public static Studio StudioAt(string studioId, string name, string city, GeoPoint geo) => new()
    {
        StudioId = studioId,
        Name = name,
        Address = "12 Mill Street, Headingley",
        City = city,
        Postcode = "LS6 1AA",
        Geo = geo,
    };

    public Task<ScrapeOutcome?> OutcomeAsync(ScrapeJob job) => OutcomeAsync(job.RunId, job.ScrapeId);

    public async Task<ScrapeOutcome?> OutcomeAsync(string runId, string scrapeId) =>
        await Table.GetAsync(Keys.RunJob(runId, scrapeId), TestContext.Current.CancellationToken) is { } item ? ScrapeItems.ReadOutcome(item) : null;

    public async Task SendAsync(params ScrapeJob[] jobs)
    {
        foreach (var batch in jobs.Chunk(QueueLimits.MaxBatchEntries))
        {
            var result = await Queue.SendBatchAsync([.. batch.Select(j => new OutgoingMessage(ScrapeItems.Serialize(j)))], TestContext.Current.CancellationToken);
            Assert.Empty(result.Failed);
        }
    }

    /// <summary>Polls (without waiting) until the queue hands out nothing more and every started job has ended.</summary>
    public async Task ConsumeVisibleAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        while (await Consumer.PollAsync(TimeSpan.Zero, ct) > 0) { }
        await Consumer.IdleAsync();
    }

    private async ValueTask<Stream> RecordConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        Connections.Enqueue(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address)) throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        return await FetchNetwork.System.Connect(endpoint, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _queues.Dispose();
        _stores.Dispose();
        _dir.Dispose();
    }
}
