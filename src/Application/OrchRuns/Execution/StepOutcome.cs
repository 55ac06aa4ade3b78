namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>How one step's execution ended.</summary>
public enum StepOutcome
{
    /// <summary>The connector succeeded; the step is COMPLETED on the run.</summary>
    Completed = 1,

    /// <summary>The last attempt failed, or no connector runs the step; the step (and so the run) is FAILED.</summary>
    Failed = 2,

    /// <summary>Interrupted (cancel, delete, lost lease, shutdown) before the step ended.</summary>
    Interrupted = 3,

    /// <summary>A log flush found the run deleted or claimed by another node; the step was stopped.</summary>
    Lost = 4,
}
