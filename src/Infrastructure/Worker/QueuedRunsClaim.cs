using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>
/// The claim transaction opened by <see cref="OrchRunDbContext.BeginClaimOfQueuedRunsAsync"/>,
/// with the candidate runs tracked by the claiming context. Once committed, each run is executed
/// in its own scope, which loads it again.
/// </summary>
internal sealed class QueuedRunsClaim : IQueuedRunsClaim
{
    private readonly OrchRunDbContext _db;
    private bool _committed;

    public QueuedRunsClaim(OrchRunDbContext db, IReadOnlyList<QueuedRun> runs)
    {
        _db = db;
        Runs = runs;
    }

    public IReadOnlyList<QueuedRun> Runs { get; }

    public async Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _db.RunLogLines.AddRange(lines);
        await _db.SaveChangesGuardedAsync(cancellationToken);
        await _db.Database.CommitTransactionAsync(cancellationToken);
        _committed = true;

        // The runs are executed through other contexts; this one keeps nothing.
        _db.ChangeTracker.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }

        if (_db.Database.CurrentTransaction is not null)
        {
            await _db.Database.RollbackTransactionAsync(CancellationToken.None);
        }

        _db.ChangeTracker.Clear();
    }
}
