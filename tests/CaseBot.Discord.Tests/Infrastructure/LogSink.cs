using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CaseBot.Discord.Tests.Infrastructure;

internal sealed record LogEntry(LogLevel Level, string Category, string Message);

/// <summary>Captures every log line (with exception text) so tests can assert on them and on what they must not say.</summary>
internal sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    /// <summary>Drops the captured lines (a long soak would otherwise measure its own log).</summary>
    public void Clear() => _entries.Clear();

    public bool Contains(LogLevel atLeast, string text) =>
        _entries.Any(e => e.Level >= atLeast && e.Message.Contains(text, StringComparison.OrdinalIgnoreCase));

    public string Dump() => string.Join('\n', _entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception) + (exception is null ? "" : " | " + exception);
            sink._entries.Enqueue(new LogEntry(logLevel, category, message));
        }
    }
}
