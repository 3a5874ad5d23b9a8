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

    // The API reference (Scalar, a third-party page) boots from an inline module script and
    // injects its own styles; it gets the same policy with inline code allowed, and nothing else.
    // It shows no user content, so inline script there is not an injection path.
    private readonly string _apiReferencePolicy = ContentSecurityPolicy(map.Value.TileOrigin)
        .Replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
        .Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var policy = context.Request.Path.StartsWithSegments("/docs") ? _apiReferencePolicy : _policy;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
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
