namespace OrchRunService.Domain.OrchRuns;

public static class OrchRunStatusExtensions
{
    /// <summary>COMPLETED, FAILED and CANCELLED never change again.</summary>
    public static bool IsTerminal(this OrchRunStatus status) =>
        status is OrchRunStatus.Completed or OrchRunStatus.Failed or OrchRunStatus.Cancelled;
}
