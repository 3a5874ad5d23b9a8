using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Alarms;

public sealed record AlarmDto(string Name, string Severity, string State, DateTime? Since, string Reason)
{
    public static AlarmDto From(AlarmStatus status) =>
        new(status.Name, AlarmNames.Of(status.Severity), AlarmNames.Of(status.State), status.Since?.UtcDateTime, status.Reason);
}

public sealed record AlarmListDto(IReadOnlyList<AlarmDto> Alarms);

/// <summary>
/// Evaluates the rules every <see cref="AlarmOptions.EvaluateEvery"/> on the <see cref="TimeProvider"/>.
/// A failed evaluation is logged by error type and done again on the next tick.
/// </summary>
internal sealed partial class AlarmWorker(AlarmEvaluator evaluator, IOptions<AlarmOptions> options, TimeProvider time, WorkerHeartbeats heartbeats, ILogger<AlarmWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        heartbeats.RunAsync("alarms", 3 * options.Value.EvaluateEvery + TimeSpan.FromMinutes(1), beat => RunAsync(beat, stoppingToken), stoppingToken);

    private async Task RunAsync(WorkerHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            heartbeat.Disabled("Alarms:Enabled is false");
            return;
        }

        using var timer = new PeriodicTimer(options.Value.EvaluateEvery, time);
        do
        {
            using var activity = Telemetry.Source.StartActivity("alarms.evaluate");
            try
            {
                await evaluator.EvaluateAsync(stoppingToken);
                heartbeat.Beat();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex.GetType().Name);
                heartbeat.Failing(ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alarm evaluation failed ({ErrorType}); retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, string errorType);
}

/// <summary>
/// The alarms (product.md §9): rules over the queues' DLQs, the sync, the request and search
/// windows and the removal SLA; the evaluator that records and notifies their transitions; the
/// admin API the dashboard renders and the /admin/alarms page.
/// </summary>
public static class AlarmsModule
{
    public static WebApplicationBuilder AddAlarms(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AlarmOptions>().BindConfiguration(AlarmOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlarmOptions>, AlarmOptionsValidator>();
        services.AddSingleton<RequestSignals>();
        foreach (var (queue, entry) in AggregationModule.Queues)
        {
            services.AddSingleton<IAlarmRule>(sp => new QueueDeadLettersRule(queue, entry.Settings, sp.GetRequiredService<IQueues>()));
        }
        services.AddSingleton<IAlarmRule, SyncDeadLettersRule>();
        services.AddSingleton<IAlarmRule, SyncLagRule>();
        services.AddSingleton<IAlarmRule, ErrorRateRule>();
        services.AddSingleton<IAlarmRule, SearchLatencyRule>();
        services.AddSingleton<IAlarmRule>(sp => new RemovalSlaRule(sp.GetRequiredService<RemovalSla>(), breached: false));
        services.AddSingleton<IAlarmRule>(sp => new RemovalSlaRule(sp.GetRequiredService<RemovalSla>(), breached: true));
        services.AddSingleton<AlarmEvaluator>();
        services.AddHostedService<AlarmWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder app)
    {
        app.MapAdminGroup("/alarms").MapGet("/", ListAsync).WithName("ListAlarms").WithSummary("Every alarm rule with its state, since when and why");
        return app;
    }

    internal static async Task<Ok<AlarmListDto>> ListAsync(AlarmEvaluator evaluator, CancellationToken ct) =>
        TypedResults.Ok(new AlarmListDto([.. (await evaluator.ListAsync(ct)).Select(AlarmDto.From)]));
}
