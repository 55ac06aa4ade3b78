using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Ends the execution of a claimed run: a COMPLETED or FAILED run is saved with its closing log
/// lines, a cancel is confirmed, an interrupted run is cancelled, returned to the queue on
/// shutdown or left to lease recovery; a run lost meanwhile is given up without another write.
/// </summary>
public sealed class RunFinisher
{
    private readonly TimeProvider _clock;

    public RunFinisher(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>
    /// Saves the finished run (COMPLETED, FAILED or CANCELLED in memory) with its closing lines,
    /// its final status in the same transaction as the log's last line. If the run changed
    /// meanwhile, the closing lines are taken back and a requested cancel is finished instead.
    /// </summary>
    internal async Task<RunOutcome> FinishAsync(ExecutingRun executing)
    {
        var run = executing.Run;
        var log = executing.Log;
        var beforeClosing = log.LastSequence;
        RunLogMessages.WriteClosing(log, run, _clock.GetElapsedTime(executing.ClaimedAt));
        var state = await executing.SaveAsync();
        if (state == ClaimState.Held)
        {
            OrchRunMetrics.RunFinished(run.Namespace, run.Status, _clock.GetElapsedTime(executing.ClaimedAt));
            return OutcomeOf(run.Status);
        }

        log.RewindTo(beforeClosing);
        return state == ClaimState.CancelRequested && run.Status != OrchRunStatus.Cancelled
            ? await CancelAsync(executing, stepName: null)
            : RunOutcome.Lost;
    }

    /// <summary>Confirms a requested cancel and saves it with the closing lines.</summary>
    internal Task<RunOutcome> CancelAsync(ExecutingRun executing, string? stepName)
    {
        executing.Log.Warn(RunLogMessages.CancelledWhileRunning(executing.Run, stepName));
        executing.Run.ConfirmCancelled(_clock.GetUtcNow());
        return FinishAsync(executing);
    }

    /// <summary>A save found the run changed: a requested cancel is finished; otherwise the run is no longer this node's.</summary>
    internal Task<RunOutcome> SettleAsync(ExecutingRun executing, ClaimState state, string? stepName) =>
        state == ClaimState.CancelRequested
            ? CancelAsync(executing, stepName)
            : Task.FromResult(RunOutcome.Lost);

    /// <summary>
    /// The execution was interrupted: the database says why. A requested cancel is finished; on
    /// shutdown the run returns to the queue; otherwise (deleted, claimed elsewhere, or a reason
    /// the database does not show yet) the run is left to lease recovery.
    /// </summary>
    internal async Task<RunOutcome> InterruptedAsync(ExecutingRun executing, string? stepName, CancellationToken shuttingDown)
    {
        var state = await executing.ReloadAsync();
        if (state != ClaimState.Held)
        {
            return await SettleAsync(executing, state, stepName);
        }

        if (!shuttingDown.IsCancellationRequested)
        {
            return RunOutcome.Lost;
        }

        var run = executing.Run;
        executing.Log.Warn(RunLogMessages.ReleasedOnShutdown(run, executing.Claim.NodeId));
        run.ReleaseOnShutdown(executing.Claim.NodeId, _clock.GetUtcNow());
        var saved = await executing.SaveAsync();
        return saved == ClaimState.Held ? RunOutcome.Released : await SettleAsync(executing, saved, stepName);
    }

    private static RunOutcome OutcomeOf(OrchRunStatus status) => status switch
    {
        OrchRunStatus.Completed => RunOutcome.Completed,
        OrchRunStatus.Failed => RunOutcome.Failed,
        OrchRunStatus.Cancelled => RunOutcome.Cancelled,
        _ => RunOutcome.Released,
    };
}
