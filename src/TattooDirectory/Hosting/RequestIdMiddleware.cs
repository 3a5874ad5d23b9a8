using System.Buffers.Text;
using System.Security.Cryptography;

namespace TattooDirectory.Hosting;

/// <summary>
/// Gives every request an id (a well-formed incoming X-Request-Id, else a new one), used as the
/// trace identifier, echoed in the response and named as `instance` in problem details.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header];
        var id = incoming.Count == 1 && IsSafe(incoming[0]) ? incoming[0]! : NewId();
        context.TraceIdentifier = id;
        // Set as the response starts: a response replayed from the output cache, or one the
        // exception handler cleared, still names this request rather than none or another.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsSafe(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
