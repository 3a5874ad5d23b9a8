using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Health;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Workflow;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Health;

/// <summary>
/// Why a component did not answer, in words an operator can act on: not configured, unreachable
/// (and how), the service's error code, or the exception type. Never a message text, which could
/// carry data.
/// </summary>
internal static class HealthReasons
{
    public static string Describe(Exception ex)
    {
        if (ex is PortNotConfiguredException notConfigured) return $"not configured: {notConfigured.Message}";
        for (var inner = (Exception?)ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http:
                    return $"unreachable: {http.GetType().Name} ({http.HttpRequestError})";
                case SocketException socket:
                    return $"unreachable: {socket.GetType().Name} ({socket.SocketErrorCode})";
                case TimeoutException or TaskCanceledException:
                    return $"unreachable: {inner.GetType().Name} (timed out)";
            }
        }

        return ex is Amazon.Runtime.AmazonServiceException { ErrorCode: { Length: > 0 } code } service
            ? $"{service.GetType().Name} ({code}, HTTP {(int)service.StatusCode})"
            : ex.GetType().Name;
    }
}

/// <summary>The blob store answers a metadata read (a missing key is an answer).</summary>
internal sealed class BlobsHealthCheck(IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await blobs.HeadAsync("health/probe", cancellationToken);
            return HealthCheckResult.Healthy("The blob store answers reads.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The blob store does not answer: {HealthReasons.Describe(ex)}.");
        }
    }
}

/// <summary>The workflow engine answers a listing of the aggregation's executions.</summary>
internal sealed class WorkflowHealthCheck(IWorkflowEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await engine.ListExecutionsAsync(AggregationNames.StateMachine, maxResults: 1, cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy("The workflow engine answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The workflow engine does not answer: {HealthReasons.Describe(ex)}.");
        }
    }
}

/// <summary>
/// The topic has no read to probe with, so only a missing adapter is known here; failed
/// publishing shows as the outbox-relay worker failing.
/// </summary>
internal sealed class TopicHealthCheck(ITopic topic) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (UnconfiguredPort.FailureOf(topic) is { } failure) return HealthCheckResult.Unhealthy($"The topic does not answer: {HealthReasons.Describe(failure)}.");
        // A topic only publishes; an adapter that can ask its service is asked, the others are taken on trust.
        if (topic is not IProbe probe) return HealthCheckResult.Healthy("Configured; publishing failures show as the outbox-relay worker failing.");
        try
        {
            await probe.ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy("The topic service answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The topic does not answer: {HealthReasons.Describe(ex)}.");
        }
    }
}
