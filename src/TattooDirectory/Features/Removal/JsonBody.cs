using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// Reads a small JSON body after the endpoint's filters (so an unauthenticated admin call is
/// refused before its body is even looked at). The size is the endpoint's
/// <c>WithBodyLimit</c>, enforced before this runs; malformed or mistyped JSON answers a
/// validation problem naming the field where the reader stopped, which the framework's own
/// binding would not.
/// </summary>
internal static class JsonBody
{
    /// <summary>The body read: a value, or why not, or nothing at all when empty was allowed.</summary>
    public readonly record struct Read<T>(T? Value, ValidationProblem? Invalid = null);

    public static async Task<Read<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, bool allowEmpty, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length == 0) return allowEmpty ? new(default) : new(default, Invalid("body", "Send a JSON object."));
        if (!request.HasJsonContentType()) return new(default, Invalid("body", "Send the body as application/json."));
        try
        {
            var value = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), type);
            return value is null ? new(default, Invalid("body", "Send a JSON object.")) : new(value);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            return new(default, Invalid(field, field == "body" ? "The body is not valid JSON." : $"{field} has the wrong type or is not valid JSON."));
        }
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
}
