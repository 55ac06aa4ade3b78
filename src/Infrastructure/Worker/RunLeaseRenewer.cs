using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>Renews the lease of one run this node executes (<see cref="RunLeaseKeeper"/> calls it every third of a lease).</summary>
internal sealed class RunLeaseRenewer
{
    private readonly OrchRunDbContext _db;
    private readonly TimeProvider _clock;

    public RunLeaseRenewer(OrchRunDbContext db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    /// <summary>
    /// Extends the lease while the claim stands, and says whether it should go on:
    /// the renewal is also how a node learns of cancels and deletes made by other processes.
    /// One conditional UPDATE rather than a load and save of the aggregate: it runs every third of
    /// a lease for every executing run, touches only the lease, and the condition (this node, this
    /// attempt, RUNNING or REQUEST_CANCEL) is the whole rule.
    /// </summary>
    public async Task<LeaseRenewal> RenewAsync(RunClaim claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        var until = _clock.GetUtcNow() + lease;
        var renewed = await _db.OrchRuns
            .Where(r => r.Id == claim.RunId && r.NodeId == claim.NodeId && r.Attempt == claim.Attempt
                        && (r.Status == OrchRunStatus.Running || r.Status == OrchRunStatus.RequestCancel))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)until), cancellationToken);
        if (renewed == 0)
        {
            return LeaseRenewal.Lost;
        }

        var status = await _db.OrchRuns.Where(r => r.Id == claim.RunId).Select(r => r.Status).FirstAsync(cancellationToken);
        return status == OrchRunStatus.RequestCancel ? LeaseRenewal.CancelRequested : LeaseRenewal.Renewed;
    }
}

internal enum LeaseRenewal
{
    Renewed = 1,
    CancelRequested = 2,
    Lost = 3,
}
