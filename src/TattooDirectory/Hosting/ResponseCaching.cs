using Microsoft.AspNetCore.OutputCaching;
using TattooDirectory.Core.Caching;

namespace TattooDirectory.Hosting;

/// <summary>
/// Server-side caching of the profile answers (artist and studio, API and pages) for as long as
/// their public <c>Cache-Control</c> already lets any client keep them, tagged with every artist
/// and studio they show so that a change or a purge drops them at once
/// (<see cref="IResponseCacheInvalidator"/>).
/// </summary>
public static class ResponseCaching
{
    /// <summary>Output-cache policy of an artist profile; the response is tagged with the <c>artistId</c> route value.</summary>
    public const string ArtistPolicy = "artist-profile";

    /// <summary>Output-cache policy of a studio profile; tagged with the <c>studioId</c> route value and, through <see cref="TagArtists"/>, its artists.</summary>
    public const string StudioPolicy = "studio-profile";

    /// <summary>The same staleness as the public max-age=30 of these answers.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddResponseCache(this WebApplicationBuilder builder)
    {
        builder.Services.AddOutputCache(o =>
        {
            // Profiles are tens of KB; this keeps the hottest few thousand without growing the process much.
            o.SizeLimit = 32 * 1024 * 1024;
            // The built-in base rules stay: GET and HEAD, 200 only, vary by the whole query
            // string, nothing with Authorization or Set-Cookie.
            o.AddPolicy(ArtistPolicy, p => p.Expire(Duration).AddPolicy<ArtistTag>());
            o.AddPolicy(StudioPolicy, p => p.Expire(Duration).AddPolicy<StudioTag>());
        });
        builder.Services.AddSingleton<IResponseCacheInvalidator, OutputCacheInvalidator>();
        return builder;
    }

    public static WebApplication UseResponseCache(this WebApplication app)
    {
        app.UseOutputCache();
        return app;
    }

    /// <summary>Tags the cached response being written with the artists it shows (a studio's members).</summary>
    public static void TagArtists(this HttpContext context, IEnumerable<string> artistIds)
    {
        if (context.Features.Get<IOutputCacheFeature>()?.Context.Tags is not { } tags) return;
        foreach (var id in artistIds) tags.Add(CacheTags.Artist(id));
    }

    private abstract class RouteValueTag(string routeKey, Func<string, string> tag) : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            if (context.HttpContext.Request.RouteValues[routeKey] is string id) context.Tags.Add(tag(id));
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
    }

    private sealed class ArtistTag() : RouteValueTag("artistId", CacheTags.Artist);

    private sealed class StudioTag() : RouteValueTag("studioId", CacheTags.Studio);
}

/// <summary>The Local backend's invalidation: eviction by tag from the app's own output cache.</summary>
internal sealed class OutputCacheInvalidator(IOutputCacheStore store) : IResponseCacheInvalidator
{
    public async Task InvalidateAsync(IReadOnlyCollection<string> artistIds, IReadOnlyCollection<string> studioIds, CancellationToken cancellationToken = default)
    {
        foreach (var id in artistIds) await store.EvictByTagAsync(CacheTags.Artist(id), cancellationToken);
        foreach (var id in studioIds) await store.EvictByTagAsync(CacheTags.Studio(id), cancellationToken);
    }
}
