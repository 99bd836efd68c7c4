using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Keeps every log entry the app writes (with its exception), so tests can assert that something was logged or show why a request failed.</summary>
public sealed class TestLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    /// <summary>The errors logged so far, for a failing assertion's message.</summary>
    public string Errors => string.Join("\n", Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}"));

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue((category, logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)}\n{exception}"));
            }
        }
    }
}
