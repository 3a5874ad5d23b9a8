using TattooDirectory.Core.Notifications;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Runs the <see cref="OutboxRelay"/> continuously: a pass whenever the table commits (an
/// outbox item commits with the change that caused it), and at least once a second.
/// </summary>
internal sealed partial class OutboxRelayWorker(OutboxRelay relay, TimeProvider time, WorkerHeartbeats heartbeats, ILogger<OutboxRelayWorker> logger) : BackgroundService
{
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    // A failed pass loses nothing: an entry is deleted only after its publish, and the
    // republish that follows the failure is deduplicated by the topic.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => heartbeats.RunAsync("outbox-relay", WorkerLoop.QuietLimit, beat =>
        WorkerLoop.RunAsync(PassAsync, (ex, pause) => LogPassFailed(logger, ex.GetType().Name, pause.TotalMilliseconds), time, beat, stoppingToken), stoppingToken);

    private async Task PassAsync(CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity("notifications.relay");
        var moved = await relay.RunOnceAndWaitAsync(IdleWait, ct);
        activity?.SetTag("notifications.moved", moved);
        activity?.SetTag("notifications.undecodable", relay.Undecodable);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox relay pass failed ({ErrorType}); retrying in {BackoffMs} ms")]
    private static partial void LogPassFailed(ILogger logger, string errorType, double backoffMs);
}
