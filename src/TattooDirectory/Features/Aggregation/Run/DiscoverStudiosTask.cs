using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Features.Aggregation.Discovery;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// The run's first step: asks every configured source for the studios of each city, merges the
/// duplicates, stores each as a studio profile and returns only ids and websites (the list travels
/// in the execution's state, which is capped at 256 KiB). Nobody is dropped here: studios are
/// businesses, the denylist is about people and applies to artists later.
/// </summary>
internal sealed partial class DiscoverStudiosTask(
    IEnumerable<IStudioSource> sources,
    ArtistCatalog catalog,
    ITable table,
    IOptions<AggregationOptions> options,
    TimeProvider time,
    ILogger<DiscoverStudiosTask> logger) : IWorkflowTask
{
    public const string TaskName = "DiscoverStudios";

    public string Name => TaskName;

    public async Task<JsonNode?> InvokeAsync(JsonNode? payload, CancellationToken cancellationToken)
    {
        var runId = TaskPayload.RunId(payload);
        var cities = Cities(payload?["request"]);
        var enabled = sources.Where(s => s.Enabled).ToArray();
        if (enabled.Length == 0) throw new WorkflowTaskException("Discovery.NoSources", "No studio source is configured (Aggregation:Sources).");

        var found = new List<DiscoveredStudio>();
        var failures = new List<StudioSourceException>();
        foreach (var city in cities)
        {
            foreach (var source in enabled)
            {
                try
                {
                    var listed = await source.DiscoverAsync(city, cancellationToken);
                    found.AddRange(listed);
                    LogListed(logger, runId, source.Name, city, listed.Count);
                }
                catch (StudioSourceException ex)
                {
                    failures.Add(ex);
                    LogSourceFailed(logger, runId, source.Name, city, ex.Reason);
                }
            }
        }

        if (found.Count == 0 && failures.Count > 0)
        {
            // Nothing to go on: retry the step when a source may come back, else fail the run.
            var cause = string.Join("; ", failures.Select(f => f.Message).Distinct());
            throw new WorkflowTaskException(failures.Any(f => f.Retryable) ? WorkflowErrors.Transient : "Discovery.Failed", cause);
        }

        var studios = StudioListings.Merge(found);
        foreach (var studio in studios) await catalog.PutStudioAsync(await ProfileAsync(studio, cancellationToken), cancellationToken);

        var before = await RunRecords.ReadSummaryAsync(table, runId, cancellationToken);
        await table.PutAsync(RunRecords.SummaryItem(new RunSummary
        {
            RunId = runId,
            Status = RunStatus.Running,
            StartedAt = before?.StartedAt ?? time.GetUtcNow(),
            Cities = cities,
            Studios = studios.Count,
        }), cancellationToken: cancellationToken);
        LogDiscovered(logger, runId, studios.Count, studios.Count(s => s.Website is not null));
        return new JsonObject
        {
            ["studios"] = new JsonArray([.. studios.Select(s => new JsonObject { ["id"] = s.StudioId, ["website"] = s.Website?.AbsoluteUri })]),
        };
    }

    private string[] Cities(JsonNode? request)
    {
        var asked = request?["cities"] is JsonArray list
            ? list.Select(c => c is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToArray()
            : options.Value.Cities;
        try
        {
            return [.. asked.Select(c => StudioListings.City(c ?? "").Name).Distinct(StringComparer.Ordinal)];
        }
        catch (ArgumentException ex)
        {
            throw new WorkflowTaskException("Discovery.UnknownCity", ex.Message);
        }
    }

    /// <summary>The studio as listed, over what an earlier run or the seed stored (phone, hours, Instagram stay).</summary>
    private async Task<Studio> ProfileAsync(DiscoveredStudio found, CancellationToken cancellationToken)
    {
        var city = StudioListings.City(found.City);
        var known = await catalog.GetStudioAsync(found.StudioId, cancellationToken);
        return (known ?? new Studio { StudioId = found.StudioId, Name = found.Name, Address = "", City = city.Name, Postcode = "", Geo = city.Location }) with
        {
            Name = found.Name,
            Address = found.Address ?? known?.Address ?? city.Name,
            City = city.Name,
            Postcode = found.Postcode ?? known?.Postcode ?? "",
            Geo = found.Geo ?? known?.Geo ?? city.Location,
            WebsiteUrl = found.Website?.AbsoluteUri ?? known?.WebsiteUrl,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Source} listed {Count} studios in {City}")]
    private static partial void LogListed(ILogger logger, string runId, string source, string city, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Source} failed for {City}: {Reason}")]
    private static partial void LogSourceFailed(ILogger logger, string runId, string source, string city, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Count} studios after merging, {WithWebsite} with a website")]
    private static partial void LogDiscovered(ILogger logger, string runId, int count, int withWebsite);
}
