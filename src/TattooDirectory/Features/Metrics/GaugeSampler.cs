using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Metrics;

/// <summary>
/// The one shape of a feature's gauges: observable instruments on <see cref="DirectoryMetrics.Meter"/>
/// whose callbacks (synchronous, called by whoever collects) only read values this worker samples
/// from async sources every <see cref="Interval"/> on the <see cref="TimeProvider"/>.
/// A failed sample is logged and the previous values stay.
/// </summary>
public abstract partial class GaugeSampler(TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Reads the sources and caches what the gauges report.</summary>
    protected abstract Task SampleAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var activity = Telemetry.Source.StartActivity("gauges.sample");
                activity?.SetTag("gauges", GetType().Name);
                await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogSampleFailed(logger, GetType().Name, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sampler} could not sample its gauges ({ErrorType}); they keep their last values")]
    private static partial void LogSampleFailed(ILogger logger, string sampler, string errorType);
}
