namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>How the execution of a claimed run ended on this node.</summary>
public enum RunOutcome
{
    Completed = 1,
    Failed = 2,
    Cancelled = 3,

    /// <summary>Returned to the queue because this node is shutting down.</summary>
    Released = 4,

    /// <summary>
    /// Deleted, claimed again by another node, or interrupted for a reason the database does not
    /// show: given up without another write (lease expiry recovers a run still RUNNING).
    /// </summary>
    Lost = 5,
}
