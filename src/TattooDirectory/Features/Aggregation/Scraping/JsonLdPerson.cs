using System.Text.Json;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>The schema.org <c>Person</c> a page describes itself with, as far as the scraper uses it.</summary>
internal sealed record JsonLdPerson(string? Name, string? Description, string? Image, string? Url, IReadOnlyList<string> SameAs)
{
    /// <summary>
    /// The top-level (or <c>@graph</c>) Person of the given JSON-LD blocks: the one whose
    /// <c>sameAs</c> names <paramref name="handle"/> when there are several. Broken JSON is skipped;
    /// persons nested in other objects (a studio's employees) are not the page's subject.
    /// </summary>
    public static JsonLdPerson? Find(IEnumerable<string> blocks, string? handle)
    {
        var people = new List<JsonLdPerson>();
        foreach (var block in blocks)
        {
            try
            {
                using var doc = JsonDocument.Parse(block, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
                foreach (var node in TopLevel(doc.RootElement))
                {
                    if (IsPerson(node)) people.Add(Read(node));
                }
            }
            catch (JsonException)
            {
                // Sites ship broken structured data; the HTML still says what it says.
            }
        }

        return people.FirstOrDefault(p => handle is not null && p.SameAs.Any(s => InstagramLinks.HandleOf(s) == handle))
            ?? (people.Count == 1 ? people[0] : null);
    }

    private static IEnumerable<JsonElement> TopLevel(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
        JsonValueKind.Object when root.TryGetProperty("@graph", out var graph) && graph.ValueKind == JsonValueKind.Array =>
            graph.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
        JsonValueKind.Object => [root],
        _ => [],
    };

    private static bool IsPerson(JsonElement node) =>
        node.TryGetProperty("@type", out var type) && Strings(type).Any(t => t.EndsWith("Person", StringComparison.Ordinal));

    private static JsonLdPerson Read(JsonElement node) => new(
        Text(node, "name"),
        Text(node, "description"),
        node.TryGetProperty("image", out var image) ? (image.ValueKind == JsonValueKind.Object ? Text(image, "url") : Strings(image).FirstOrDefault()) : null,
        Text(node, "url"),
        node.TryGetProperty("sameAs", out var sameAs) ? [.. Strings(sameAs)] : []);

    private static string? Text(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    };
}
