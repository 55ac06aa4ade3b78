using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>The worker's path in one call, for tests that are about what happens after the claim.</summary>
internal static class ExecutorClaims
{
    /// <summary>
    /// Claims the oldest QUEUED run with <see cref="OrchRunExecutor.ClaimNextAsync"/> (claim, opening
    /// lines and first step's start in one save) and executes it with the same executor, as the
    /// worker does. Fails when no run is queued.
    /// </summary>
    public static async Task<RunExecutionOutcome> ClaimAndExecuteAsync(
        this OrchRunExecutor executor,
        CancellationToken interrupt = default,
        CancellationToken shuttingDown = default,
        string nodeId = TestRuns.NodeA)
    {
        var claimed = await executor.ClaimNextAsync(nodeId, TestRuns.Lease, CancellationToken.None)
            ?? throw new InvalidOperationException("No run is queued to claim.");
        return await executor.ExecuteAsync(claimed, interrupt, shuttingDown);
    }
}
