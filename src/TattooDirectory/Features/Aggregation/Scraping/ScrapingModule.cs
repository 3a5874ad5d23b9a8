using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.Sqs;
using TattooDirectory.Features.Aggregation.Fetching;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation.Scraping;

public static class ScrapingModule
{
    /// <summary>
    /// The scrape workers (<c>Aggregation:Scrape</c>, validated on start) consuming the "scrape"
    /// queue. Needs <c>IQueues</c>, <c>ArtistCatalog</c>, <c>Denylist</c>, <c>ITable</c> and
    /// <c>IBlobStore</c> from the backend; adds the <see cref="WebFetcher"/> and the directory's
    /// metrics (scrape outcomes are counted) if they are not there yet.
    /// </summary>
    public static IServiceCollection AddScrapeWorker(this IServiceCollection services)
    {
        services.AddOptions<ScrapeOptions>().BindConfiguration(ScrapeOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScrapeOptions>, ScrapeOptionsValidator>());
        services.AddWebFetcher();
        services.AddMetrics();
        services.TryAddSingleton<DirectoryMetrics>();
        services.TryAddSingleton(sp => new ImageProcessor(sp.GetRequiredService<IOptions<ScrapeOptions>>().Value));
        services.TryAddSingleton<ScrapeImages>();
        services.TryAddSingleton<ArtistScraper>();
        services.TryAddSingleton<ScrapeJobStep>();
        // The scrape-handler role's SQS batch handler (AWS backend) runs the same step.
        services.TryAddSingleton<IQueueMessageProcessor>(sp => sp.GetRequiredService<ScrapeJobStep>());
        services.TryAddSingleton<ScrapeConsumer>();
        services.TryAddSingleton<WorkerHeartbeats>();
        services.AddHostedService<ScrapeWorker>();
        return services;
    }
}
