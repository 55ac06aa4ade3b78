using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The claim transaction opened by <see cref="OrchRunDbContext.BeginClaimOfQueuedRunsAsync"/>,
/// with the candidate runs tracked by the claiming context. Once committed, each run is executed
/// in its own scope, which loads it again.
/// </summary>
internal sealed class QueuedRunsClaim : ClaimTransaction, IQueuedRunsClaim
{
    public QueuedRunsClaim(OrchRunDbContext db, IReadOnlyList<QueuedRun> runs)
        : base(db)
    {
        Runs = runs;
    }

    public IReadOnlyList<QueuedRun> Runs { get; }

    /// <summary>The runs are executed through other contexts; this one keeps nothing.</summary>
    protected override void AfterCommit(IReadOnlyList<RunLogLine> lines) => Db.ChangeTracker.Clear();
}
