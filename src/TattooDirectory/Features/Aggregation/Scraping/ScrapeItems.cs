using System.Text.Json;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// The worker's view of the run records: job bodies and outcome items in the one JSON shape
/// <see cref="RunRecords"/> defines, plus the check that a body really is a job.
/// </summary>
public static class ScrapeItems
{
    public static string Serialize(ScrapeJob job) => RunRecords.JobBody(job);

    /// <summary>The job in a message body, or null when the body is not one (a poison message).</summary>
    public static ScrapeJob? ParseJob(string body)
    {
        try
        {
            var job = RunRecords.ReadJob(body);
            return job is { ScrapeId: { Length: > 0 }, RunId: { Length: > 0 }, StudioId: { Length: > 0 }, ProfileUrl.IsAbsoluteUri: true } ? job : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static Item OutcomeItem(string runId, ScrapeOutcome outcome) => RunRecords.OutcomeItem(runId, outcome);

    public static ScrapeOutcome ReadOutcome(Item item) => RunRecords.ReadOutcome(item);

    public static async Task<IReadOnlyList<ScrapeOutcome>> ListOutcomesAsync(ITable table, string runId, CancellationToken cancellationToken = default) =>
        await RunRecords.OutcomesAsync(table, runId, cancellationToken);
}
