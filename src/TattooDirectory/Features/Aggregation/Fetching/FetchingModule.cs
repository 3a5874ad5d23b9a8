using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Aggregation.Fetching;

public static class FetchingModule
{
    /// <summary>
    /// The guarded, polite <see cref="WebFetcher"/> as a singleton (one connection pool, one set of
    /// host limiters, one robots cache for the whole app), with <c>Aggregation:Fetch</c> validated on start.
    /// Register a <see cref="FetchNetwork"/> or <see cref="TimeProvider"/> first to replace the system ones.
    /// </summary>
    public static IServiceCollection AddWebFetcher(this IServiceCollection services)
    {
        services.AddOptions<FetchOptions>().BindConfiguration(FetchOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The binder fills a list from indexed children only; the demo web prints one
                // comma-separated value, which must count too.
                if (configuration[$"{FetchOptions.Section}:{nameof(FetchOptions.AllowedHosts)}"] is { Length: > 0 } listed) options.AllowedHosts.Add(listed);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FetchOptions>, FetchOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(FetchNetwork.System);
        services.TryAddSingleton<WebFetcher>();
        return services;
    }
}
