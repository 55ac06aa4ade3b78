using Microsoft.Extensions.Logging;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>Keeps what is logged, formatted as a log line would show it, exception included.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lines)
        {
            _lines.Add(formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception));
        }
    }
}
