using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The claim transaction opened by <see cref="OrchRunDbContext.BeginClaimOfNextQueuedRunAsync"/>,
/// with the candidate run tracked by the executing run's context: once committed, the executor
/// goes on with that same copy.
/// </summary>
internal sealed class QueuedRunClaim : ClaimTransaction, IQueuedRunClaim
{
    public QueuedRunClaim(OrchRunDbContext db, OrchRun run, long lastLogSequence)
        : base(db)
    {
        Run = run;
        LastLogSequence = lastLogSequence;
    }

    public OrchRun Run { get; }

    public long LastLogSequence { get; }

    /// <summary>The run stays tracked for its execution; written lines are never read back through this context.</summary>
    protected override void AfterCommit(IReadOnlyList<RunLogLine> lines)
    {
        foreach (var line in lines)
        {
            Db.Entry(line).State = EntityState.Detached;
        }
    }
}
