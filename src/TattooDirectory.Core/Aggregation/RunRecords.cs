using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Aggregation;

public enum RunStatus
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// What an aggregation run did, kept on <c>RUN#{id}|SUMMARY</c>: written when discovery ends, then
/// completed by Report (or marked failed by NotifyFailure). Counts only, never names.
/// </summary>
public sealed record RunSummary
{
    public required string RunId { get; init; }
    public RunStatus Status { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public IReadOnlyList<string> Cities { get; init; } = [];
    public int Studios { get; init; }
    public int StudiosFailed { get; init; }
    public int ArtistsFound { get; init; }
    public int Queued { get; init; }

    /// <summary>Candidates dropped before queueing because the denylist names them.</summary>
    public int Denied { get; init; }

    public int New { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }

    /// <summary>Jobs the worker skipped (denied at scrape time, or disallowed by robots.txt), plus <see cref="Denied"/>.</summary>
    public int Skipped { get; init; }

    public int Failed { get; init; }

    /// <summary>Queued jobs that ended without an outcome: dead-lettered after their last delivery.</summary>
    public int DeadLettered { get; init; }

    /// <summary>Whether the queue drained before Report ran (false when the run stopped waiting).</summary>
    public bool Drained { get; init; }

    public string? Error { get; init; }
}

/// <summary>A candidate of a run as stored, with whether QueueScraping has dealt with it (so a retried QueueScraping skips it).</summary>
public sealed record CandidateRecord(ArtistCandidate Candidate, string ScrapeId, bool Queued = false, bool Denied = false);

/// <summary>The run's items in the table and the scrape queue's message bodies, in one JSON shape.</summary>
public static class RunRecords
{
    public const string CandidatePrefix = "CANDIDATE#";
    public const string JobPrefix = "JOB#";

    /// <summary>The candidate's key part: the page's hash (its fragment included, so one-page sites keep their artists apart).</summary>
    public static string CandidateHash(Uri profileUrl) => AggregationNames.UrlHash(profileUrl);

    public static string ScrapeIdFor(string runId, Uri profileUrl) => AggregationNames.ScrapeIdFor(runId, profileUrl);

    public static Item CandidateItem(CandidateRecord record)
    {
        var key = Keys.RunCandidate(record.Candidate.RunId, record.Candidate.StudioId, CandidateHash(record.Candidate.ProfileUrl));
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(record, RunJson.Default.CandidateRecord) };
    }

    public static CandidateRecord ReadCandidate(Item item) =>
        JsonSerializer.Deserialize(item.Data, RunJson.Default.CandidateRecord) ?? throw new JsonException($"Empty candidate {item.Key}.");

    public static Item SummaryItem(RunSummary summary)
    {
        var key = Keys.RunSummary(summary.RunId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(summary, RunJson.Default.RunSummary) };
    }

    public static string ToJson(RunSummary summary) => JsonSerializer.Serialize(summary, RunJson.Default.RunSummary);

    public static async Task<RunSummary?> ReadSummaryAsync(ITable table, string runId, CancellationToken cancellationToken = default) =>
        await table.GetAsync(Keys.RunSummary(runId), cancellationToken) is { } item
            ? JsonSerializer.Deserialize(item.Data, RunJson.Default.RunSummary)
            : null;

    /// <summary>The outcome item the scrape worker writes once per job.</summary>
    public static Item OutcomeItem(string runId, ScrapeOutcome outcome)
    {
        var key = Keys.RunJob(runId, outcome.ScrapeId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(outcome, RunJson.Default.ScrapeOutcome) };
    }

    public static ScrapeOutcome ReadOutcome(Item item) =>
        JsonSerializer.Deserialize(item.Data, RunJson.Default.ScrapeOutcome) ?? throw new JsonException($"Empty outcome {item.Key}.");

    public static string JobBody(ScrapeJob job) => JsonSerializer.Serialize(job, RunJson.Default.ScrapeJob);

    public static ScrapeJob ReadJob(string body) =>
        JsonSerializer.Deserialize(body, RunJson.Default.ScrapeJob) ?? throw new JsonException("Empty scrape job.");

    public static async Task<List<CandidateRecord>> CandidatesAsync(ITable table, string runId, CancellationToken cancellationToken = default)
    {
        var found = new List<CandidateRecord>();
        await foreach (var item in PartitionAsync(table, runId, CandidatePrefix, cancellationToken)) found.Add(ReadCandidate(item));
        return found;
    }

    public static async Task<List<ScrapeOutcome>> OutcomesAsync(ITable table, string runId, CancellationToken cancellationToken = default)
    {
        var found = new List<ScrapeOutcome>();
        await foreach (var item in PartitionAsync(table, runId, JobPrefix, cancellationToken)) found.Add(ReadOutcome(item));
        return found;
    }

    private static async IAsyncEnumerable<Item> PartitionAsync(ITable table, string runId, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await table.QueryAsync(new TableQuery(Keys.RunPk(runId)) { SortKeyPrefix = prefix, Limit = 500, Cursor = cursor }, cancellationToken);
            foreach (var item in page.Items) yield return item;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(CandidateRecord))]
[JsonSerializable(typeof(ScrapeOutcome))]
[JsonSerializable(typeof(ScrapeJob))]
internal sealed partial class RunJson : JsonSerializerContext;
