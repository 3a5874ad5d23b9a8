using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>The scrape workers of this process: polls the scrape queue until shutdown, then lets running jobs end.</summary>
internal sealed partial class ScrapeWorker(ScrapeConsumer consumer, IOptions<ScrapeOptions> options, TimeProvider time, ILogger<ScrapeWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await consumer.PollAsync(options.Value.ReceiveWait, stoppingToken);
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
