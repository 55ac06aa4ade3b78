namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Execution knobs the worker passes down from its configuration.</summary>
public sealed record RunExecutionSettings(int MaxAttempts, TimeSpan LogFlushInterval)
{
    public static RunExecutionSettings Default { get; } = new(3, TimeSpan.FromMilliseconds(500));

    /// <summary>The bounds of each run's log (<c>Runs:MaxLogLineLength</c>, <c>Runs:MaxLogLinesPerRun</c>).</summary>
    public RunLogLimits LogLimits { get; init; } = RunLogLimits.Default;
}
