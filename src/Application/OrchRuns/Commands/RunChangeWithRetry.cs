using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands;

/// <summary>
/// Loads a run, applies a change and saves it, reading it afresh when a worker changed it between
/// the read and the write (claim, step progress): one fresh read is enough to apply the change on
/// top of the worker's, so a third conflict is reported (409) rather than looped on.
/// </summary>
internal static class RunChangeWithRetry
{
    private const int MaxAttempts = 3;

    /// <param name="runs">The repository the run is loaded from and saved to.</param>
    /// <param name="id">The run.</param>
    /// <param name="namespace">The caller's namespace: a run of another one is not found (404).</param>
    /// <param name="change">Applies the change to the loaded run; false when there is nothing to save.</param>
    /// <param name="cancellationToken">Cancels the reads and the save.</param>
    /// <returns>The run as saved (or as loaded when <paramref name="change"/> saved nothing), and whether it was saved.</returns>
    public static async Task<(OrchRun Run, bool Saved)> ApplyAsync(
        IOrchRunRepository runs, Guid id, string @namespace, Func<OrchRun, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var run = await runs.FindAsync(id, @namespace, cancellationToken)
                ?? throw new NotFoundException("Orchestrator run", id);
            if (!change(run))
            {
                return (run, false);
            }

            try
            {
                await runs.SaveChangesAsync(cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                continue;
            }

            return (run, true);
        }
    }
}
