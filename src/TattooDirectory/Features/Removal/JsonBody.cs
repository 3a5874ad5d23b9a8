using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// Reads a small JSON body under a hard size cap, after the endpoint's filters (so an
/// unauthenticated admin call is refused before its body is even looked at). Too large answers
/// 413, malformed or mistyped JSON a validation problem naming the field where the reader stopped.
/// </summary>
internal static class JsonBody
{
    /// <summary>The body read: a value, or why not (too large, or not valid), or nothing at all when empty was allowed.</summary>
    public readonly record struct Read<T>(T? Value, ValidationProblem? Invalid = null, ProblemHttpResult? TooLarge = null);

    public static async Task<Read<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int maxBytes, bool allowEmpty, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return new(default, TooLarge: TooLarge(maxBytes));
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(default, TooLarge: TooLarge(maxBytes));
        }
        if (body.Length > maxBytes) return new(default, TooLarge: TooLarge(maxBytes));
        if (body.Length == 0) return allowEmpty ? new(default) : new(default, Invalid("body", "Send a JSON object."));
        if (!request.HasJsonContentType()) return new(default, Invalid("body", "Send the body as application/json."));
        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            return value is null ? new(default, Invalid("body", "Send a JSON object.")) : new(value);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            return new(default, Invalid(field, field == "body" ? "The body is not valid JSON." : $"{field} has the wrong type or is not valid JSON."));
        }
    }

    /// <summary>Reads at most one byte past the cap, so an over-long body is detected without being buffered whole.</summary>
    private static async Task<byte[]> ReadBoundedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while (buffer.Length <= maxBytes && (read = await body.ReadAsync(chunk, cancellationToken)) > 0) buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>"$.imageIds[3]" → "imageIds"; the whole body when the reader stopped at the top.</summary>
    private static string FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal)) return "body";
        var name = path[2..];
        var end = name.IndexOfAny(['.', '[']);
        var field = end < 0 ? name : name[..end];
        // Only a plain property name is echoed back, never whatever text the reader choked on.
        return field.Length is > 0 and <= 40 && field.All(char.IsAsciiLetterOrDigit) ? field : "body";
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body is not valid");

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"The body may be at most {maxBytes / 1024} KiB.");
}
