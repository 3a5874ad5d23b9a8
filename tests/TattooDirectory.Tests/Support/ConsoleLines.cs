using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Tests.Support;

/// <summary>
/// The app's console output, line for line, without the process-wide <see cref="Console"/>: a
/// logger provider that writes each entry with the console formatter the app configured (the same
/// <see cref="ConsoleFormatter"/> instance, chosen by <c>Logging:Console:FormatterName</c>, with the
/// app's scopes and filters), so hosts running side by side each keep their own lines.
/// </summary>
internal sealed class ConsoleLines : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private Func<ConsoleFormatter>? _formatter;

    public IReadOnlyList<string> All => [.. _lines];

    /// <summary>Registers these lines on an app about to be built.</summary>
    public void AddTo(WebApplicationBuilder builder) => builder.Services.AddSingleton<ILoggerProvider>(services =>
    {
        var formatters = services.GetRequiredService<IEnumerable<ConsoleFormatter>>().ToList();
        var options = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>();
        _formatter = () => formatters.Single(f => f.Name == (options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple));
        return this;
    });

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var writer = new StringWriter();
        (_formatter ?? throw new InvalidOperationException("Not added to an app.")).Invoke().Write(entry, _scopes, writer);
        foreach (var line in writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)) _lines.Enqueue(line);
    }

    private sealed class Logger(string category, ConsoleLines lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => lines._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}
