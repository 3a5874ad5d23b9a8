using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Metrics;

/// <summary>
/// Metrics and traces (product.md §9): the in-process history behind the dashboard and
/// <c>GET /v1/admin/metrics</c>, the workflow engine's observer, and OpenTelemetry with the
/// exporters <see cref="TelemetryOptions.Exporters"/> names (OTLP, console, CloudWatch EMF).
/// </summary>
public static class MetricsModule
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.IsValid(), "Telemetry:Exporters takes otlp, console and emf; Telemetry:EmfNamespace is 1 – 255 characters; Telemetry:ExportInterval at least 1 s.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MetricsHistory>();
        builder.Services.AddHostedService<MetricsSampler>();
        builder.Services.AddSingleton<IWorkflowObserver, WorkflowMetrics>();
        builder.Services.AddSingleton<Admin.Dashboard.AlarmsFeed>();

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Exporters.Length > 0) AddOpenTelemetry(builder, options);
        return builder;
    }

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminGroup("/metrics").MapGet("/", Get).WithName("GetMetrics")
            .WithSummary("Request rate, errors, latency percentiles, search latency, sync lag, queues, scrapes, workflow runs and removals over a window (?window=15m|1h|6h|24h)");
        return app;
    }

    internal static Results<Ok<MetricsWindowDto>, ValidationProblem> Get(MetricsHistory history, string? window) =>
        MetricsWindow.ParseWindow(window) is { } span
            ? TypedResults.Ok(MetricsWindow.Read(history, span))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["window"] = ["A window of 10s – 24h, written like 90s, 15m, 1h or 24h."] });

    private static void AddOpenTelemetry(WebApplicationBuilder builder, TelemetryOptions options)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Telemetry.Name))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.Name, MetricsHistory.AspNetCoreMeter, "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
                    .AddRuntimeInstrumentation();
                if (options.Uses(TelemetryOptions.Emf))
                {
                    metrics.AddReader(new PeriodicExportingMetricReader(new EmfExporter(options.EmfNamespace), (int)options.ExportInterval.TotalMilliseconds)
                    {
                        // CloudWatch adds up what each line reports: counters go out as per-interval deltas.
                        TemporalityPreference = MetricReaderTemporalityPreference.Delta,
                    });
                }
                if (options.Uses(TelemetryOptions.Otlp)) metrics.AddOtlpExporter();
                if (options.Uses(TelemetryOptions.Console)) metrics.AddConsoleExporter();
            });
        if (options.Uses(TelemetryOptions.Otlp) || options.Uses(TelemetryOptions.Console))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.Name, Telemetry.Name + ".*").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (options.Uses(TelemetryOptions.Otlp)) tracing.AddOtlpExporter();
                if (options.Uses(TelemetryOptions.Console)) tracing.AddConsoleExporter();
            });
        }
    }
}

/// <summary>Closes a history slot every <see cref="MetricsHistory.Resolution"/> on the host's clock.</summary>
internal sealed class MetricsSampler(MetricsHistory history, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(MetricsHistory.Resolution, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) history.Sample();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
