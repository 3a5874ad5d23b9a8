using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace TattooDirectory.Hosting;

/// <summary>
/// ETag and Cache-Control for successful API GETs: the tag is a hash of the body, so a client
/// that revalidates with If-None-Match gets 304 without the payload.
/// </summary>
internal sealed class ConditionalGetMiddleware(RequestDelegate next)
{
    public const string DefaultCacheControl = "public, max-age=30";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/v1")
            || context.Request.Path.StartsWithSegments("/v1/admin"))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))[..16])}\"";
            context.Response.Headers.ETag = etag;
            if (!context.Response.Headers.ContainsKey(HeaderNames.CacheControl)) context.Response.Headers.CacheControl = DefaultCacheControl;
            if (IfNoneMatch(context.Request, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.ContentLength = null;
                return;
            }
        }
        // An empty error body stays without Content-Length so the status-code pages can still write problem+json.
        if (buffer.Length > 0) context.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        // Weak comparison (RFC 9110 §13.1.2): W/"x" from a proxy still matches "x".
        var current = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(h => h.Tag == "*" || h.Compare(current, useStrongComparison: false));
    }
}
