namespace OrchRunService.Domain.OrchRuns;

/// <summary>Run statuses; the numeric codes are the ones the run log prints ("Updating orch run status to 4").</summary>
public enum OrchRunStatus
{
    Queued = 1,
    Running = 2,
    RequestCancel = 3,
    Completed = 4,
    Failed = 5,
    Cancelled = 6,
}
