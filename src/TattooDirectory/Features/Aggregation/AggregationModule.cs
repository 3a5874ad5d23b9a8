using TattooDirectory.Features.Aggregation.Scraping;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Places;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Discovery;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Features.Aggregation.Run;

namespace TattooDirectory.Features.Aggregation;

/// <summary>
/// The aggregation run (product.md §7): the discovery sources, the task handlers the
/// <c>aggregation</c> state machine calls, and the admin API for runs and queues.
/// </summary>
public static class AggregationModule
{
    public static WebApplicationBuilder AddAggregation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AggregationOptions>().BindConfiguration(AggregationOptions.Section)
            .Validate(o => o.Cities.Length > 0 && o.Cities.All(c => Gazetteer.Default.TryResolve(c, out var p) && p.Kind != PlaceKind.PostcodeDistrict),
                "Aggregation:Cities must name cities the gazetteer knows.")
            .Validate(o => o.MaxPagesPerSite is >= 1 and <= 20, "Aggregation:MaxPagesPerSite must be 1 – 20.")
            .ValidateOnStart();
        services.AddScrapeWorker();
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
        services.AddSingleton<AggregationRuns>();
        services.AddHostedService<QueueGauges>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAggregation(this IEndpointRouteBuilder app)
    {
        AggregationAdminApi.Map(app);
        return app;
    }

    /// <summary>The queues the app uses, with their settings, for the admin API and pages.</summary>
    public static IReadOnlyDictionary<string, QueueSettingsEntry> Queues { get; } = new Dictionary<string, QueueSettingsEntry>(StringComparer.Ordinal)
    {
        [AggregationNames.ScrapeQueue] = new(AggregationNames.ScrapeQueueSettings),
    };
}

/// <summary>A known queue's settings (a wrapper so the dictionary reads as configuration, not as open queues).</summary>
public sealed record QueueSettingsEntry(Core.Queues.QueueSettings Settings);
