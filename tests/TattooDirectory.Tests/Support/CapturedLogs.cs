using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TattooDirectory.Tests.Support;

/// <summary>One log call: its category, level, formatted text and every structured value.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values)
{
    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.OrdinalIgnoreCase) || Values.Any(v => v.Contains(text, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A logger provider that keeps what the app logs, for assertions on content.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> All => [.. _logs];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => p.Value?.ToString() ?? "").ToList() : [];
            if (exception is not null) values.Add(exception.ToString());
            logs.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values));
        }
    }
}
