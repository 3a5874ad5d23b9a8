using Microsoft.Extensions.Options;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>The scrape workers of this process: polls the scrape queue until shutdown, then lets running jobs end.</summary>
internal sealed partial class ScrapeWorker(ScrapeConsumer consumer, IOptions<ScrapeOptions> options, TimeProvider time, WorkerHeartbeats heartbeats, ILogger<ScrapeWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    // A poll waits for a free job slot first, and a slot is held for up to a job's timeout.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("scrape", options.Value.JobTimeout + options.Value.ReceiveWait + TimeSpan.FromMinutes(1), beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            heartbeat.Disabled("Aggregation:Scrape:Enabled is false");
            return;
        }

        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await consumer.PollAsync(options.Value.ReceiveWait, stoppingToken);
                heartbeat.Beat();
                pause = FirstPause;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The queue itself failed (its file, its disk): back off rather than spin.
                LogPollFailed(logger, ex.GetType().Name, pause.TotalMilliseconds);
                heartbeat.Failing(ex.GetType().Name);
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }

        // Jobs see the same token and stop at their next await; their messages come back when visibility ends.
        await consumer.IdleAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from the scrape queue failed ({Error}); next try in {PauseMs} ms")]
    private static partial void LogPollFailed(ILogger logger, string error, double pauseMs);
}
