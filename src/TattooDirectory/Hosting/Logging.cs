using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Hosting;

/// <summary>
/// The app's logging (product.md §9): one JSON object per line on the console, with the trace ids
/// of the current activity and the request's scope (RequestId, RequestPath), and every line
/// redacted (<see cref="LogRedaction"/>) before any provider sees it.
/// <c>Logging:Console:FormatterName=simple</c> brings back plain text.
/// </summary>
public static class Logging
{
    public static WebApplicationBuilder AddDirectoryLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddConsole();
        // After configuration is bound, so a FormatterName set there wins over this default.
        builder.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Json);
        var formatterOptions = builder.Configuration.GetSection("Logging:Console:FormatterOptions");
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            formatterOptions.Bind(o);
        });

        // Decorating the factory rather than each provider keeps provider-specific filter rules
        // (keyed by the provider's type or alias, e.g. Logging:Console:LogLevel) working, and still
        // covers every logger the container hands out, whichever provider it writes to.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        builder.Services.AddHostedService<LogCorrelation>();
        return builder;
    }
}

/// <summary>
/// Makes <see cref="Telemetry.Source"/> (and the workflow engine's source) create activities even
/// when no tracer listens, so a background unit of work's lines carry a trace id. They are
/// propagation-only: ids, nothing recorded, and an exporter's own sampling still decides the rest.
/// </summary>
internal sealed class LogCorrelation : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == Telemetry.Name || source.Name.StartsWith(Telemetry.Name + ".", StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}

/// <summary>Hands out <see cref="RedactingLogger"/>s over the real factory's loggers.</summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, c => new RedactingLogger(inner.CreateLogger(c)));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// Redacts each enabled line and each scope, then passes it on: every provider gets the redacted
/// values, message and exception, whatever the call site wrote.
/// </summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => state switch
    {
        IEnumerable<KeyValuePair<string, object?>> pairs => inner.BeginScope(RedactedState.Of(LogRedaction.Redact(pairs, state.ToString() ?? ""))),
        _ => inner.BeginScope(LogRedaction.Scrub(state.ToString() ?? "")),
    };

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // Nothing is redacted for a line no provider will write.
        if (!IsEnabled(logLevel)) return;
        var pairs = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        var line = LogRedaction.Redact(pairs, formatter(state, exception) ?? "", exception);
        inner.Log(logLevel, eventId, RedactedState.Of(line), line.Exception, static (s, _) => s.Message);
    }
}

/// <summary>A redacted line or scope as providers read it: its values, and its message as <see cref="ToString"/>.</summary>
internal sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message => message;

    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public static RedactedState Of(RedactedLine line) => new(line.Values, line.Message);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;
}
