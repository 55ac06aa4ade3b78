using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A run this node has claimed and opened: the claim, the opening log lines and the first
/// step's start were committed together. <see cref="OrchRunExecutor.ExecuteAsync(ClaimedRun, CancellationToken, CancellationToken)"/>
/// goes on from there with the same copy of the run, so it is not loaded again.
/// </summary>
public sealed class ClaimedRun
{
    internal ClaimedRun(IRunExecutionStore store, RunHold hold, OrchRun run, RunLogBuffer log, long started, bool claimedInBatch = false)
    {
        Store = store;
        Hold = hold;
        Run = run;
        Log = log;
        Started = started;
        ClaimedInBatch = claimedInBatch;
    }

    public RunHold Hold { get; }

    /// <summary>The store (and so the database context) that tracks <see cref="Run"/>; only it can save the run.</summary>
    internal IRunExecutionStore Store { get; }

    internal OrchRun Run { get; }

    internal RunLogBuffer Log { get; }

    /// <summary>
    /// Claimed together with other runs (<see cref="OrchRunExecutor.ClaimQueuedAsync"/>): any
    /// executor may execute it; it loads the run again through its own store.
    /// </summary>
    public bool ClaimedInBatch { get; }

    /// <summary>When execution began (a <see cref="TimeProvider"/> timestamp), for the duration lines.</summary>
    internal long Started { get; }
}
