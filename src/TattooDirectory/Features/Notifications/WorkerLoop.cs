using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

/// <summary>
/// The shape the notification workers share: passes back to back until shutdown; a pass that
/// throws is reported and retried after a pause that doubles from 100 ms up to 30 s, and
/// resets after the next good pass.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>A pass waits at most a second or two when idle; the longest pause after failures is 30 s.</summary>
    public static readonly TimeSpan QuietLimit = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Func<CancellationToken, Task> pass, Action<Exception, TimeSpan> failed, TimeProvider time, WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
                heartbeat.Beat();
                pause = FirstPause;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failed(ex, pause);
                heartbeat.Failing(ex.GetType().Name);
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }
}
