namespace OrchRunService.Application.OrchRuns.Execution;

public enum RunExecutionOutcome
{
    Completed = 1,
    Failed = 2,
    Cancelled = 3,

    /// <summary>Returned to the queue because this node is shutting down.</summary>
    Released = 4,

    /// <summary>Deleted, or taken over by another claim: abandoned without another write.</summary>
    Abandoned = 5,
}
