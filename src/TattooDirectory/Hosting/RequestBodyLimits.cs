using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using TattooDirectory.Features.Web;

namespace TattooDirectory.Hosting;

/// <summary>
/// One answer for a body over the limit, whoever would have read it: 413, as problem+json for the
/// API and the site's error page for pages. The limit is Kestrel's (64 KiB) unless the endpoint
/// sets a smaller one (<see cref="WithBodyLimit"/>, or <c>[RequestSizeLimit]</c> on a page), which
/// routing has already applied to the request by the time this runs.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>Caps the request body of these endpoints at <paramref name="bytes"/>.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(bytes));

    public static WebApplication UseRequestBodyLimits(this WebApplication app)
    {
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }
}

internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    /// <summary>How far past the limit a chunked body is still read before its 413; beyond it the connection is simply closed.</summary>
    private const long OverrunReadToEnd = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        // A declared length over the limit is refused before anything reads a byte of it, so an
        // endpoint that ignores its body answers the same as one that reads it.
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }
        try
        {
            if (limit is { } max && context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                // A body of unknown length (chunked) is read in full here, in memory since it is
                // capped: running over is then a 413 whether or not the endpoint reads its body,
                // where the antiforgery check would take it for a bad token and a page for a crash.
                // A body a little over the limit is read to its end before the 413, so the client
                // gets the answer rather than a connection reset with its last bytes unread.
                var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
                if (size is { IsReadOnly: false }) size.MaxRequestBodySize = max + OverrunReadToEnd;
                context.Request.EnableBuffering(bufferThreshold: (int)Math.Min(max + OverrunReadToEnd, int.MaxValue));
                await context.Request.Body.DrainAsync(context.RequestAborted);
                if (context.Request.Body.Length > max)
                {
                    await TooLargeAsync(context, limit);
                    return;
                }

                context.Request.Body.Position = 0;
            }
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit);
        }
    }

    private static Task TooLargeAsync(HttpContext context, long? limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // No body for pages: the status-code pages render the site's own error page.
        return StatusPages.IsPageRequest(context)
            ? Task.CompletedTask
            : TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"The request body may be at most {limit:N0} bytes.").ExecuteAsync(context);
    }
}
