using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Sync;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Health;

/// <summary>/alive (the process answers) and /health (each component, with a reason when it is not healthy).</summary>
public static class HealthModule
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<WorkerHeartbeats>();
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<BlobsHealthCheck>("blobs", tags: ["ready"])
            .AddCheck<IndexHealthCheck>("index", tags: ["ready"])
            .AddCheck<SyncHealthCheck>("sync", tags: ["ready"])
            .AddCheck<QueueHealthCheck>("queue", tags: ["ready"])
            .AddCheck<TopicHealthCheck>("topic", tags: ["ready"])
            .AddCheck<WorkflowHealthCheck>("workflow", tags: ["ready"])
            .AddCheck<WorkersHealthCheck>("workers", tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            components = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                reason = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

internal sealed class StoreHealthCheck(ITable table) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.GetAsync(new ItemKey("HEALTH", "PING"), cancellationToken);
            return HealthCheckResult.Healthy("The store answers reads.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The store does not answer: {HealthReasons.Describe(ex)}.");
        }
    }
}

internal sealed class IndexHealthCheck(ISearchIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await index.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{count} documents searchable.", new Dictionary<string, object> { ["documents"] = count });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"The index does not answer ({HealthReasons.Describe(ex)}); searches are served degraded from the store.");
        }
    }
}

internal sealed class SyncHealthCheck(SyncStatus status, IChangeStream stream) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long latest;
        try
        {
            latest = await stream.GetLatestSequenceAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"The change stream does not answer ({HealthReasons.Describe(ex)}); search falls behind the store.",
                data: new Dictionary<string, object> { ["position"] = status.Position });
        }

        var data = new Dictionary<string, object> { ["position"] = status.Position, ["latest"] = latest, ["behind"] = Math.Max(0, latest - status.Position), ["deadLettered"] = status.DeadLettered };
        if (!status.Running) return HealthCheckResult.Degraded("The sync worker is not running.", data: data);
        if (status.LastError is { } error) return HealthCheckResult.Degraded($"The last sync pass failed ({error}); it is being retried.", data: data);
        return HealthCheckResult.Healthy(latest - status.Position > 1000 ? "Catching up." : "Up to date.", data);
    }
}
