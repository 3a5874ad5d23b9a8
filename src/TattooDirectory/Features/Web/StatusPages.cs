using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Features.Web.Components;

namespace TattooDirectory.Features.Web;

/// <summary>
/// Friendly HTML for errors that happen on page requests (an unknown address, a crash), while
/// the API and files keep answering problem+json. A page request is anything outside /v1 that a
/// browser navigates to: it accepts text/html, or says nothing about what it accepts.
/// </summary>
internal static class StatusPages
{
    private const string EnhancedNavigationHeader = "blazor-enhanced-nav";

    public static bool IsPageRequest(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/v1")) return false;
        var accept = context.Request.GetTypedHeaders().Accept;
        return accept.Count == 0 || accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Renders the site's status page (404, 500, …) inside the normal layout.</summary>
    public static async Task RenderAsync(HttpContext context, int statusCode)
    {
        var page = new RazorComponentResult<App>(new Dictionary<string, object?> { [nameof(App.StatusCode)] = statusCode }) { StatusCode = statusCode };
        // A page that failed half-way has already set up the request's rendering services
        // (navigation, component state); the status page renders with fresh ones.
        await using var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var requestServices = context.RequestServices;
        context.RequestServices = scope.ServiceProvider;
        // A page that answered 404 without a body (RunPage, NotFoundPage) leaves the renderer's
        // marker header behind, and rendering again adds it again: a duplicate key, and a 500.
        context.Response.Headers.Remove(EnhancedNavigationHeader);
        try
        {
            await page.ExecuteAsync(context);
        }
        finally
        {
            context.RequestServices = requestServices;
        }
    }

    /// <summary>Keeps the problem+json writer for everything that is not a page.</summary>
    public static void UseHtmlForPages(StatusCodePagesOptions options)
    {
        var api = options.HandleAsync;
        options.HandleAsync = context => IsPageRequest(context.HttpContext)
            ? RenderAsync(context.HttpContext, context.HttpContext.Response.StatusCode)
            : api(context);
    }
}

/// <summary>An exception on a page request renders the error page with the request id; API requests fall through to problem+json.</summary>
internal sealed partial class PageExceptionHandler(ILogger<PageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StatusPages.IsPageRequest(httpContext)) return false;
        // The middleware records nothing for an exception a handler took, so this is its only trace.
        LogPageFailed(logger, exception, httpContext.Request.Path, httpContext.TraceIdentifier);
        await StatusPages.RenderAsync(httpContext, StatusCodes.Status500InternalServerError);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Page {Path} failed (request {RequestId})")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, PathString path, string requestId);
}
