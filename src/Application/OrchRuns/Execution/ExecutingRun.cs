using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A claimed run inside its execution scope: the aggregate as last loaded, the claim that guards
/// every write, the run's log, and when the run was claimed. Saves and reloads say what they
/// found as a <see cref="ClaimState"/>.
/// </summary>
internal sealed class ExecutingRun
{
    private readonly IRunExecutionStore _store;

    public ExecutingRun(IRunExecutionStore store, ClaimedRun claimed, OrchRun run, RunLogBuffer log)
    {
        _store = store;
        Claim = claimed.Claim;
        ClaimedAt = claimed.ClaimedAt;
        Run = run;
        Log = log;
    }

    public RunClaim Claim { get; }

    /// <summary>When the run was claimed (a <see cref="TimeProvider"/> timestamp), for the duration line.</summary>
    public long ClaimedAt { get; }

    /// <summary>The run as last loaded; a reload that finds the claim standing replaces it.</summary>
    public OrchRun Run { get; private set; }

    public RunLogBuffer Log { get; }

    /// <summary>What <paramref name="run"/> (null when deleted) says about <paramref name="claim"/>.</summary>
    public static ClaimState StateOf(OrchRun? run, RunClaim claim) => run switch
    {
        null => ClaimState.Lost,
        _ when run.NodeId != claim.NodeId || run.Attempt != claim.Attempt => ClaimState.Lost,
        { Status: OrchRunStatus.Running } => ClaimState.Held,
        { Status: OrchRunStatus.RequestCancel } => ClaimState.CancelRequested,
        _ => ClaimState.Lost,
    };

    /// <summary>Loads the run again; unless the claim is lost, <see cref="Run"/> becomes the fresh copy.</summary>
    public async Task<ClaimState> ReloadAsync()
    {
        var fresh = await _store.LoadAsync(Claim.RunId, CancellationToken.None);
        var state = StateOf(fresh, Claim);
        if (state != ClaimState.Lost)
        {
            Run = fresh!;
        }

        return state;
    }

    /// <summary>
    /// Saves the run's changes with the pending log lines: <see cref="ClaimState.Held"/> when the
    /// save went through. When the run changed meanwhile, the lines go back to the log and the
    /// run is reloaded: the state says what it is now. Lost when the store refuses the run.
    /// </summary>
    public async Task<ClaimState> SaveAsync()
    {
        var batch = Log.Take();
        try
        {
            await _store.SaveAsync(Run, batch, CancellationToken.None);
            return ClaimState.Held;
        }
        catch (ConcurrencyConflictException)
        {
            Log.Restore(batch);
            return await ReloadAsync();
        }
        catch (RunLostException)
        {
            // The run is gone (its log lines hit the deleted run's foreign key) or superseded.
            return ClaimState.Lost;
        }
    }

    /// <summary>Appends log lines while the claim stands; <see cref="RunLostException"/> when it does not.</summary>
    public Task AppendLogAsync(IReadOnlyList<RunLogLine> lines) => _store.AppendLogAsync(Claim, lines, CancellationToken.None);
}
