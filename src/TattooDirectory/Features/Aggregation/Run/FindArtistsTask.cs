using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// One iteration of the FindArtists Map: reads one studio's site and records each artist it finds
/// as a candidate of the run. A studio whose site cannot be read fails with a named error (retried
/// when the fault may pass); the Map's Catch records it and the other studios carry on.
/// </summary>
internal sealed partial class FindArtistsTask(ArtistFinder finder, ITable table, ILogger<FindArtistsTask> logger) : IWorkflowTask
{
    public const string TaskName = "FindArtists";

    /// <summary>The error a studio whose site cannot be read fails with (after the retries, for transient faults).</summary>
    public const string StudioUnreachable = "Studio.Unreachable";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var studio = payload?["studio"];
        var studioId = TaskPayload.String(studio, "id");
        var result = new JsonObject { ["studioId"] = studioId, ["artists"] = 0 };
        if (TaskPayload.OptionalString(studio, "website") is not { } website || !Uri.TryCreate(website, UriKind.Absolute, out var home))
        {
            result["skipped"] = "no-website";
            return result;
        }

        SiteArtists found;
        try
        {
            found = await finder.FindAsync(home, cancellationToken);
        }
        catch (SiteUnreadableException ex)
        {
            LogUnreadable(logger, runId, studioId, ex.Result.Reason);
            throw new WorkflowTaskException(ex.Result.Retryable ? WorkflowErrors.Transient : StudioUnreachable, ex.Message);
        }

        if (found.Blocked is { } blocked)
        {
            // robots.txt says no (or cannot be read, which RFC 9309 treats as no): nothing is recorded.
            LogBlocked(logger, runId, studioId, blocked.Reason);
            result["skipped"] = "robots";
            return result;
        }

        foreach (var artist in found.Artists)
        {
            var candidate = new ArtistCandidate(runId, studioId, artist.ProfileUrl, artist.Name, artist.InstagramHandle);
            try
            {
                // Only the first time: a retried iteration must not reset what QueueScraping marked.
                await table.PutAsync(RunRecords.CandidateItem(new CandidateRecord(candidate, RunRecords.ScrapeIdFor(runId, artist.ProfileUrl))), WriteCondition.NotExists, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
            }
        }

        LogFound(logger, runId, studioId, found.Artists.Count, found.PagesRead);
        result["artists"] = found.Artists.Count;
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: studio {StudioId} lists {Count} artists ({Pages} pages read)")]
    private static partial void LogFound(ILogger logger, string runId, string studioId, int count, int pages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: studio {StudioId} not crawled: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string runId, string studioId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: studio {StudioId} site unreadable: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string runId, string studioId, string reason);
}
