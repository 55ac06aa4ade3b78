using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>Claims queued runs for this node and keeps its leases alive.</summary>
internal sealed class RunClaimer
{
    private readonly OrchRunDbContext _db;
    private readonly TimeProvider _clock;

    public RunClaimer(OrchRunDbContext db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    /// <summary>
    /// Takes the oldest QUEUED run (FIFO by creation): the candidate is locked by the provider's
    /// claim statement, and the QUEUED -> RUNNING transition is saved as one conditional update
    /// (guarded by the run's version) in the same transaction.
    /// </summary>
    public async Task<RunHold?> ClaimNextAsync(string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        _db.ChangeTracker.Clear();
        try
        {
            var candidate = await _db.BeginClaimOfNextQueuedRunAsync(cancellationToken);
            if (candidate is not { } id)
            {
                await _db.Database.CommitTransactionAsync(cancellationToken);
                return null;
            }

            var run = await _db.OrchRuns.Include(r => r.Steps).SingleAsync(r => r.Id == id, cancellationToken);
            var now = _clock.GetUtcNow();
            run.Claim(nodeId, now + lease, now);
            await _db.SaveChangesAsync(cancellationToken);
            await _db.Database.CommitTransactionAsync(cancellationToken);
            if (run.Attempt == 1)
            {
                OrchRunMetrics.RunClaimed(now - run.CreatedAt);
            }

            return new RunHold(run.Id, nodeId, run.Attempt);
        }
        finally
        {
            if (_db.Database.CurrentTransaction is not null)
            {
                await _db.Database.RollbackTransactionAsync(CancellationToken.None);
            }

            _db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Extends the lease if this node still holds the run, and says whether it should go on:
    /// the renewal is also how a node learns of cancels and deletes made by other processes.
    /// </summary>
    public async Task<LeaseRenewal> RenewAsync(RunHold hold, TimeSpan lease, CancellationToken cancellationToken)
    {
        var until = _clock.GetUtcNow() + lease;
        var renewed = await _db.OrchRuns
            .Where(r => r.Id == hold.RunId && r.NodeId == hold.NodeId && r.Attempt == hold.Attempt
                        && (r.Status == OrchRunStatus.Running || r.Status == OrchRunStatus.RequestCancel))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)until), cancellationToken);
        if (renewed == 0)
        {
            return LeaseRenewal.Lost;
        }

        var status = await _db.OrchRuns.Where(r => r.Id == hold.RunId).Select(r => r.Status).FirstAsync(cancellationToken);
        return status == OrchRunStatus.RequestCancel ? LeaseRenewal.CancelRequested : LeaseRenewal.Renewed;
    }
}

internal enum LeaseRenewal
{
    Renewed = 1,
    CancelRequested = 2,
    Lost = 3,
}
