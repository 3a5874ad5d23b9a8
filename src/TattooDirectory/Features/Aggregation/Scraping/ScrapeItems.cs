using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// The JSON of scrape jobs (queue message bodies) and of the outcome items at
/// <see cref="Keys.RunJob"/>: camelCase, enums as names, read case-insensitively so a producer
/// writing PascalCase is understood too.
/// </summary>
public static class ScrapeItems
{
    public static string Serialize(ScrapeJob job) => JsonSerializer.Serialize(job, ScrapeJson.Default.ScrapeJob);

    /// <summary>The job in a message body, or null when the body is not one (a poison message).</summary>
    public static ScrapeJob? ParseJob(string body)
    {
        try
        {
            var job = JsonSerializer.Deserialize(body, ScrapeJson.Default.ScrapeJob);
            return job is { ScrapeId: { Length: > 0 }, RunId: { Length: > 0 }, StudioId: { Length: > 0 }, ProfileUrl.IsAbsoluteUri: true } ? job : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static Item OutcomeItem(string runId, ScrapeOutcome outcome)
    {
        var key = Keys.RunJob(runId, outcome.ScrapeId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(outcome, ScrapeJson.Default.ScrapeOutcome) };
    }

    public static ScrapeOutcome ReadOutcome(Item item) =>
        JsonSerializer.Deserialize(item.Data, ScrapeJson.Default.ScrapeOutcome) ?? throw new JsonException($"Item {item.Key} holds no scrape outcome.");

    /// <summary>Every outcome recorded for the run so far.</summary>
    public static async Task<IReadOnlyList<ScrapeOutcome>> ListOutcomesAsync(ITable table, string runId, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ScrapeOutcome>();
        string? cursor = null;
        do
        {
            var page = await table.QueryAsync(new TableQuery(Keys.RunPk(runId)) { SortKeyPrefix = "JOB#", Limit = 1000, Cursor = cursor }, cancellationToken);
            outcomes.AddRange(page.Items.Select(ReadOutcome));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return outcomes;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ScrapeJob))]
[JsonSerializable(typeof(ScrapeOutcome))]
internal sealed partial class ScrapeJson : JsonSerializerContext;
