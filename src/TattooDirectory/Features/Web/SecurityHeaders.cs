using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Web;

/// <summary>
/// The security headers of the web contract on every response, pages and API alike. They are
/// added when the response starts, so a response the exception handler cleared and rewrote
/// still carries them.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<MapOptions> map)
{
    private readonly string _policy = ContentSecurityPolicy(map.Value.TileOrigin);

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()";
            return Task.CompletedTask;
        });
        return next(context);
    }

    internal static string ContentSecurityPolicy(string? tileOrigin) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        + $"img-src 'self' data:{(tileOrigin is null ? "" : " " + tileOrigin)}; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

/// <summary>
/// Puts the headers and compression in front of the whole pipeline: the rate limiter, the
/// exception handler and the status-code pages all answer before anything a feature maps, and
/// their responses need the headers too.
/// </summary>
internal sealed class WebFrontStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseResponseCompression();
        next(app);
    };
}
