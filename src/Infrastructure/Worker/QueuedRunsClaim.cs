using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The write transaction opened by <see cref="OrchRunDbContext.BeginClaimOfQueuedRunsAsync"/>,
/// with the candidate runs tracked by the claiming context: committing saves the claimed runs'
/// changes with their opening log lines in one transaction; disposing it uncommitted rolls it
/// back (the runs stay QUEUED). Either way the context keeps nothing: each run is executed in its
/// own scope, which loads it again.
/// </summary>
internal sealed class QueuedRunsClaim : IQueuedRunsClaim
{
    private readonly OrchRunDbContext _db;
    private readonly IRunLogSignal _signal;
    private bool _committed;

    public QueuedRunsClaim(OrchRunDbContext db, IReadOnlyList<QueuedRun> runs, IRunLogSignal signal)
    {
        _db = db;
        Runs = runs;
        _signal = signal;
    }

    public IReadOnlyList<QueuedRun> Runs { get; }

    public async Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _db.RunLogLines.AddRange(lines);
        await _db.SaveChangesGuardedAsync(cancellationToken);
        await _db.Database.CommitTransactionAsync(cancellationToken);
        _committed = true;
        _db.ChangeTracker.Clear();
        RunExecutionStore.Signal(_signal, lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await RollBackAsync(_db);
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
}
