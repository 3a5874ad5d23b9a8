using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
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
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A chunked body that ran over while a page form or the antiforgery check read it;
            // minimal APIs answer this themselves, everything else would be a 500.
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
