using TattooDirectory.Core.Notifications;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// Runs the <see cref="OutboxRelay"/> continuously: a pass whenever the table commits (an
/// outbox item commits with the change that caused it), and at least once a second.
/// </summary>
internal sealed partial class OutboxRelayWorker(OutboxRelay relay, TimeProvider time, ILogger<OutboxRelayWorker> logger) : BackgroundService
{
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (var activity = Telemetry.Source.StartActivity("notifications.relay"))
                {
                    var moved = await relay.RunOnceAndWaitAsync(IdleWait, stoppingToken);
                    activity?.SetTag("notifications.moved", moved);
                    activity?.SetTag("notifications.undecodable", relay.Undecodable);
                }

                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Nothing is lost: an entry is deleted only after its publish, and a republish
                // after this failure is deduplicated by the topic.
                LogPassFailed(logger, ex.GetType().Name, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox relay pass failed ({ErrorType}); retrying in {BackoffMs} ms")]
    private static partial void LogPassFailed(ILogger logger, string errorType, double backoffMs);
}
