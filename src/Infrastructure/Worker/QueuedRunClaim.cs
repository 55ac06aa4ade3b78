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
internal sealed class QueuedRunClaim : IQueuedRunClaim
{
    private readonly OrchRunDbContext _db;
    private bool _committed;

    public QueuedRunClaim(OrchRunDbContext db, OrchRun run, long lastLogSequence)
    {
        _db = db;
        Run = run;
        LastLogSequence = lastLogSequence;
    }

    public OrchRun Run { get; }

    public long LastLogSequence { get; }

    public async Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _db.RunLogLines.AddRange(lines);
        await _db.SaveChangesGuardedAsync(cancellationToken);
        await _db.Database.CommitTransactionAsync(cancellationToken);
        _committed = true;

        // Written lines are never read back through this context.
        foreach (var line in lines)
        {
            _db.Entry(line).State = EntityState.Detached;
        }
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
