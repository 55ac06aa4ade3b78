namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// A run this node has claimed and opened (the claim, the opening log lines and the first step's
/// start committed together), handed to its own scope to execute: <see cref="OrchRunExecutor"/>
/// loads it there and goes on numbering its log after <paramref name="LastLogSequence"/>.
/// </summary>
/// <param name="Claim">The node and attempt every write of the execution is guarded by.</param>
/// <param name="LastLogSequence">The sequence of the last opening line.</param>
/// <param name="ClaimedAt">When the claim was made (a <see cref="TimeProvider"/> timestamp), for the duration line.</param>
public sealed record ClaimedRun(RunClaim Claim, long LastLogSequence, long ClaimedAt)
{
    public Guid RunId => Claim.RunId;
}
