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

/// <remarks>
/// A refused body is still read to its end (up to <see cref="DrainLimit"/>) and dropped before
/// the connection is let go: closing a socket with unread bytes in it sends a reset, and a client
/// still sending would then lose the 413 it was answered with.
/// </remarks>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    /// <summary>The most of a refused body read and dropped so its sender gets the 413; past it the connection is closed instead.</summary>
    internal const long DrainLimit = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = size?.MaxRequestBodySize;
        // A declared length over the limit is refused before anything reads a byte of it, so an
        // endpoint that ignores its body answers the same as one that reads it.
        if (context.Request.ContentLength > limit)
        {
            await DrainAsync(context, size!);
            await TooLargeAsync(context, limit);
            return;
        }
        try
        {
            if (limit is { } max && size is { IsReadOnly: false } && context.Request.ContentLength is null
                && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                // A body of unknown length (chunked) is read in full here, in memory since it is
                // capped: running over is then a 413 whether or not the endpoint reads its body,
                // where the antiforgery check would take it for a bad token and a page for a crash.
                if (!await BufferAsync(context, size, max))
                {
                    await TooLargeAsync(context, limit);
                    return;
                }
            }
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit);
        }
    }

    /// <summary>Reads the body into memory and puts the copy in its place; false, with the rest drained, when it runs over <paramref name="max"/>.</summary>
    private static async Task<bool> BufferAsync(HttpContext context, IHttpMaxRequestBodySizeFeature size, long max)
    {
        // The server's own cap moves out of the way so running over ours is found here, not as a
        // broken connection; ours is the one the copy enforces.
        size.MaxRequestBodySize = Math.Max(max, DrainLimit);
        var copy = new MemoryStream();
        context.Response.RegisterForDispose(copy);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (copy.Length + read > max)
            {
                await DrainAsync(context, size);
                return false;
            }
            copy.Write(buffer, 0, read);
        }
        copy.Position = 0;
        context.Request.Body = copy;
        return true;
    }

    /// <summary>Reads and drops what is left of a refused body, if it is within <see cref="DrainLimit"/>; otherwise the connection closes after the answer.</summary>
    private static async Task DrainAsync(HttpContext context, IHttpMaxRequestBodySizeFeature size)
    {
        if (context.Request.ContentLength > DrainLimit)
        {
            context.Response.Headers.Connection = "close";
            return;
        }
        if (!size.IsReadOnly) size.MaxRequestBodySize = DrainLimit;
        try
        {
            await context.Request.Body.DrainAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Over the drain limit, or the client gave up: the server closes the connection.
            context.Response.Headers.Connection = "close";
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
