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
        services.AddOptions<FetchOptions>().BindConfiguration(FetchOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FetchOptions>, FetchOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(FetchNetwork.System);
        services.TryAddSingleton<WebFetcher>();
        return services;
    }
}
