using System.Collections.Frozen;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// The offline demo web: fictional studio sites, each on its own port of 127.0.0.1 (its own
/// authority, as separate websites are; macOS has only 127.0.0.1 up by default, so no other
/// loopback addresses), plus a control port with the manifest and the discovery endpoints.
/// One Kestrel instance serves every port and never listens beyond loopback.
/// </summary>
public sealed class DemoWebServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";

    /// <summary>The placeholder API key the demo's Places endpoint is given (it accepts any).</summary>
    public const string PlacesApiKey = "demo-web";

    private readonly WebApplication app;
    private readonly DemoImages images;
    private readonly IReadOnlyList<DemoStudio> studios;

    private DemoWebServer(WebApplication app, DemoImages images, IReadOnlyList<DemoStudio> studios, IReadOnlyList<IPEndPoint> endpoints, Uri control, IReadOnlyList<Uri> sites, DemoWebManifest manifest)
    {
        this.app = app;
        this.images = images;
        this.studios = studios;
        ListeningEndpoints = endpoints;
        ControlUri = control;
        SiteUris = sites;
        Manifest = manifest;
    }

    /// <summary>Every socket the server listens on: the control port first, then one per site.</summary>
    public IReadOnlyList<IPEndPoint> ListeningEndpoints { get; }

    /// <summary>Where the manifest, <c>/studios.json</c>, <c>/api/interpreter</c> and <c>/v1/places:searchText</c> are.</summary>
    public Uri ControlUri { get; }

    /// <summary>Each studio's site, in studio order.</summary>
    public IReadOnlyList<Uri> SiteUris { get; }

    /// <summary>What each site contains and how it misbehaves; also served at <c>/manifest.json</c>.</summary>
    public DemoWebManifest Manifest { get; }

    /// <summary>
    /// The directory's configuration that points its discovery and fetching at this demo web,
    /// as key/value pairs for appsettings, environment variables (<c>__</c> for <c>:</c>) or the command line.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> AppSettings =>
    [
        new("Aggregation:Sources:Overpass:Url", Manifest.Endpoints.Overpass),
        new("Aggregation:Sources:GooglePlaces:Url", Manifest.Endpoints.Places),
        new("Aggregation:Sources:GooglePlaces:ApiKey", PlacesApiKey),
        new("Aggregation:Sources:StaticList:Url", Manifest.Endpoints.StaticList),
        new("Aggregation:Fetch:AllowedHosts", string.Join(',', Manifest.AllowedHosts)),
    ];

    /// <param name="time">The clock the slow page waits on.</param>
    public static async Task<DemoWebServer> StartAsync(DemoWebOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options ??= new DemoWebOptions();
        var content = DemoWebGenerator.Generate(options);
        var sites = content.Sites.Select(s => new DemoSite(s)).ToArray();

        // The empty builder reads no appsettings or ASPNETCORE_URLS: nothing can add a listener beyond the ones below.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DemoWebServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        var listeners = new ListenOptions[sites.Length + 1];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            for (var i = 0; i < listeners.Length; i++)
            {
                var slot = i;
                kestrel.Listen(IPAddress.Loopback, options.BasePort is { } basePort ? basePort + i : 0, listen => listeners[slot] = listen);
            }
        });
        var app = builder.Build();

        var routing = new PortRouting();
        var images = new DemoImages(options.ImageCacheBytes);
        var handler = new DemoSiteHandler(images, options, time ?? TimeProvider.System, app.Lifetime.ApplicationStopping);
        app.Use((context, next) =>
        {
            var port = context.Connection.LocalPort;
            if (routing.Site(port) is { } site) return handler.HandleAsync(context, site.Site, site.Uri);
            return routing.IsControl(port) ? next(context) : Unavailable(context);
        });
        app.UseRouting();
        var control = new ControlEndpoints();
        control.Map(app);

        try
        {
            await app.StartAsync(cancellationToken);
            // Kestrel writes each bound port back into its listen options, free ports included.
            var endpoints = listeners.Select(l => l.IPEndPoint!).ToArray();
            var ports = endpoints.Select(e => e.Port).ToArray();
            var controlUri = LoopbackUri(ports[0]);
            var bound = sites.Select((site, i) => new BoundSite(site, LoopbackUri(ports[i + 1]))).ToArray();
            var manifest = DemoWebManifests.Build(options.Seed, controlUri, AllowedHosts(ports), bound, content.WithoutWebsite);
            var listings = bound.Select(b => new DemoListing(b.Site.Studio.Place, b.Uri))
                .Concat(content.WithoutWebsite.Select(p => new DemoListing(p, null)))
                .OrderBy(l => l.Place.Index)
                .ToArray();
            control.Serve(manifest, DemoWebManifests.StaticList(bound), listings, new SeedOptions().SeedEpoch);
            routing.Bind(ports[0], bound.ToFrozenDictionary(b => b.Uri.Port));
            return new DemoWebServer(app, images, content.Sites, endpoints, controlUri, [.. bound.Select(b => b.Uri)], manifest);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Renders every portfolio image and avatar into the server's cache (as far as its budget
    /// allows), so a benchmark measures the scraper rather than the demo web's drawing.
    /// </summary>
    public Task WarmImagesAsync(CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(
            studios.Where(s => s.ShowsPortfolios).SelectMany(s => s.Artists),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            (artist, _) =>
            {
                images.Avatar(artist);
                foreach (var image in artist.Images) images.Portfolio(image);
                return ValueTask.CompletedTask;
            });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static Uri LoopbackUri(int port) => new($"http://{Host}:{port}/");

    /// <summary>"127.0.0.1:5099-5135" when the ports are consecutive, else one entry per port.</summary>
    private static string[] AllowedHosts(int[] ports)
    {
        var sorted = ports.Order().ToArray();
        return sorted[^1] - sorted[0] == sorted.Length - 1
            ? [$"{Host}:{sorted[0]}-{sorted[^1]}"]
            : [.. sorted.Select(p => $"{Host}:{p}")];
    }

    private static Task Unavailable(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Task.CompletedTask;
    }

    /// <summary>Which site a connection's local port belongs to; known only once Kestrel has bound the ports.</summary>
    private sealed class PortRouting
    {
        private volatile Bound? bound;

        public bool IsControl(int localPort) => bound?.ControlPort == localPort;

        public BoundSite? Site(int localPort) => bound?.Sites.GetValueOrDefault(localPort);

        public void Bind(int controlPort, FrozenDictionary<int, BoundSite> sites) => bound = new Bound(controlPort, sites);

        private sealed record Bound(int ControlPort, FrozenDictionary<int, BoundSite> Sites);
    }

    /// <summary>
    /// The control port's endpoints. They are mapped before Kestrel starts but only reached once
    /// the ports are known and <see cref="Serve"/> has run (port routing answers 503 until then).
    /// </summary>
    private sealed class ControlEndpoints
    {
        private volatile Served? served;

        private Served S => served ?? throw new InvalidOperationException("The demo web is not bound yet.");

        public void Serve(DemoWebManifest manifest, StaticStudioList staticList, IReadOnlyList<DemoListing> listings, DateTimeOffset dataTimestamp) =>
            served = new Served(
                JsonSerializer.SerializeToUtf8Bytes(manifest, DemoWebJson.Default.DemoWebManifest),
                JsonSerializer.SerializeToUtf8Bytes(staticList, DemoWebJson.Default.StaticStudioList),
                DemoSitePages.ControlIndex(manifest),
                listings,
                dataTimestamp);

        public void Map(WebApplication app)
        {
            app.MapGet("/", () => Results.Content(S.Index, "text/html; charset=utf-8"));
            app.MapGet("/manifest.json", () => Results.Bytes(S.Manifest, "application/json"));
            app.MapGet("/studios.json", () => Results.Bytes(S.StaticList, "application/json"));
            app.MapMethods("/api/interpreter", [HttpMethods.Get, HttpMethods.Post], (HttpRequest request, CancellationToken ct) =>
                OverpassInterpreter.HandleAsync(request, S.Listings, S.DataTimestamp, ct));
            app.MapPost("/v1/places:searchText", (HttpRequest request, CancellationToken ct) => PlacesTextSearch.HandleAsync(request, S.Listings, ct));
        }

        private sealed record Served(byte[] Manifest, byte[] StaticList, string Index, IReadOnlyList<DemoListing> Listings, DateTimeOffset DataTimestamp);
    }
}
