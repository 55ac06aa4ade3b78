namespace OrchRunService.Domain.OrchRuns;

public enum OrchRunStepStatus
{
    Queued = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,

    /// <summary>Stopped by a cancel of its run.</summary>
    Cancelled = 5,

    /// <summary>Not run because an earlier step failed.</summary>
    Skipped = 6,
}
