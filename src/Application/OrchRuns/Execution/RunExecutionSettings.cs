namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Execution knobs the worker passes down from its configuration.</summary>
public sealed record RunExecutionSettings(int MaxAttempts, TimeSpan LogFlushInterval)
{
    public static RunExecutionSettings Default { get; } = new(3, TimeSpan.FromMilliseconds(500));
}
