using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TattooDirectory.Features.Web;

namespace TattooDirectory.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public int SearchPerMinute { get; set; } = 120;
    public int RemovalRequestsPerHour { get; set; } = 5;
}

/// <summary>Per-client-IP limits (product.md §4): 429 with Retry-After, as problem+json or, for a page, the site's error page.</summary>
public static class RateLimits
{
    public const string PublicApi = "public-api";

    /// <summary>Removal submissions: a few per hour per client is plenty for a person and little for a flood.</summary>
    public const string RemovalRequests = "removal-requests";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.SearchPerMinute > 0 && o.RemovalRequestsPerHour > 0, "Rate limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PublicApi, context => PerClient(context, o => o.SearchPerMinute, TimeSpan.FromMinutes(1)));
            limiter.AddPolicy(RemovalRequests, context => PerClient(context, o => o.RemovalRequestsPerHour, TimeSpan.FromHours(1)));
            limiter.OnRejected = async (ctx, cancellationToken) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                // A person who sent a form gets a page saying when to try again, not JSON.
                if (StatusPages.IsPageRequest(ctx.HttpContext))
                {
                    await StatusPages.RenderAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests);
                    return;
                }
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"Rate limit reached; try again in {seconds} s.").ExecuteAsync(ctx.HttpContext);
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<RateLimitOptions, int> permits, TimeSpan window)
    {
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(options),
            Window = window,
            QueueLimit = 0,
        });
    }

    internal static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
