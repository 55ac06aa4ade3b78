using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The write transaction of a claim, open on the claiming context: committing saves the claimed
/// runs' changes with their opening log lines in one transaction; disposing it uncommitted rolls
/// it back (the runs stay QUEUED) and forgets what the context tracked.
/// </summary>
internal abstract class ClaimTransaction : IAsyncDisposable
{
    private bool _committed;

    protected ClaimTransaction(OrchRunDbContext db)
    {
        Db = db;
    }

    protected OrchRunDbContext Db { get; }

    public async Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Db.RunLogLines.AddRange(lines);
        await Db.SaveChangesGuardedAsync(cancellationToken);
        await Db.Database.CommitTransactionAsync(cancellationToken);
        _committed = true;
        AfterCommit(lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await RollBackAsync(Db);
        }
    }

    /// <summary>Rolls back the context's open transaction, if any, and clears its tracker.</summary>
    public static async Task RollBackAsync(OrchRunDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is not null)
        {
            await db.Database.RollbackTransactionAsync(CancellationToken.None);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>What the context keeps after the commit.</summary>
    protected abstract void AfterCommit(IReadOnlyList<RunLogLine> lines);
}
