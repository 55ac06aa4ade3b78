using System.Data;
using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;

namespace OrchRunService.Infrastructure.Worker;

/// <summary>EF Core persistence for claiming and executing runs; one instance per scope (its own DbContext).</summary>
internal sealed class RunExecutionStore : IRunExecutionStore
{
    private readonly OrchRunDbContext _db;
    private readonly IRunLogSignal _signal;

    public RunExecutionStore(OrchRunDbContext db, IRunLogSignal signal)
    {
        _db = db;
        _signal = signal;
    }

    public async Task<IQueuedRunsClaim?> BeginClaimAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _db.ChangeTracker.Clear();
        try
        {
            var ids = await _db.BeginClaimOfQueuedRunsAsync(max, cancellationToken);
            if (ids.Count == 0)
            {
                await _db.Database.CommitTransactionAsync(cancellationToken);
                return null;
            }

            var runs = await _db.OrchRuns.Include(r => r.Steps).Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
            var lastSequences = await _db.RunLogLines
                .Where(l => ids.Contains(l.RunId))
                .GroupBy(l => l.RunId)
                .Select(g => new { RunId = g.Key, Last = g.Max(l => l.Sequence) })
                .ToDictionaryAsync(x => x.RunId, x => x.Last, cancellationToken);
            // Oldest first: an UPDATE ... OUTPUT (SQL Server) returns its rows in no set order.
            var queued = ids.Select(id => runs[id]).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .Select(r => new QueuedRun(r, lastSequences.GetValueOrDefault(r.Id))).ToList();
            return new QueuedRunsClaim(_db, queued, _signal);
        }
        catch
        {
            await QueuedRunsClaim.RollBackAsync(_db);
            throw;
        }
    }

    public async Task<OrchRun?> LoadAsync(Guid runId, CancellationToken cancellationToken)
    {
        _db.ChangeTracker.Clear();
        return await _db.OrchRuns.Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }

    public async Task<long> GetLastLogSequenceAsync(Guid runId, CancellationToken cancellationToken) =>
        await _db.RunLogLines.Where(l => l.RunId == runId).MaxAsync(l => (long?)l.Sequence, cancellationToken) ?? 0;

    public async Task SaveAsync(OrchRun run, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _db.RunLogLines.AddRange(lines);
        try
        {
            await _db.SaveChangesGuardedAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsRunGoneOrSuperseded(ex))
        {
            _db.ChangeTracker.Clear();
            throw new RunLostException(run.Id);
        }

        Forget(lines);
        Signal(_signal, lines);
    }

    public async Task AppendLogAsync(RunClaim claim, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(lines);

        // The claim check and the insert see the same run row (how, is the provider's).
        try
        {
            if (!await _db.BeginClaimedRunWriteAsync(claim.RunId, claim.NodeId, claim.Attempt, cancellationToken))
            {
                throw new RunLostException(claim.RunId);
            }

            _db.RunLogLines.AddRange(lines);
            await _db.SaveChangesAsync(cancellationToken);
            await _db.Database.CommitTransactionAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsRunGoneOrSuperseded(ex))
        {
            Forget(lines);
            throw new RunLostException(claim.RunId);
        }
        finally
        {
            if (_db.Database.CurrentTransaction is not null)
            {
                await _db.Database.RollbackTransactionAsync(CancellationToken.None);
            }
        }

        Forget(lines);
        Signal(_signal, lines);
    }

    public async Task<IReadOnlyList<Guid>> FindExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        await _db.OrchRuns.AsNoTracking()
            .Where(r => (r.Status == OrchRunStatus.Running || r.Status == OrchRunStatus.RequestCancel) && r.LeaseExpiresAt < now)
            .OrderBy(r => r.LeaseExpiresAt)
            .Select(r => r.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> FindUnclaimedCancelsAsync(int max, CancellationToken cancellationToken) =>
        await _db.OrchRuns.AsNoTracking()
            .Where(r => r.Status == OrchRunStatus.RequestCancel && r.NodeId == null)
            .OrderBy(r => r.CreatedAt)
            .Select(r => r.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    /// <summary>Wakes this process's followers of the runs whose lines were just committed.</summary>
    internal static void Signal(IRunLogSignal signal, IReadOnlyList<RunLogLine> lines)
    {
        foreach (var runId in lines.Select(l => l.RunId).Distinct())
        {
            signal.LinesWritten(runId);
        }
    }

    /// <summary>
    /// The run's row is gone (a log line's foreign key fails: deleted) or another attempt already
    /// wrote these log sequences (duplicate key: a stale node after recovery).
    /// </summary>
    private static bool IsRunGoneOrSuperseded(DbUpdateException ex) => DatabaseErrors.IsForeignOrUniqueKeyViolation(ex);

    // Written lines are never read back through this context; keep a long run's tracker small.
    private void Forget(IReadOnlyList<RunLogLine> lines)
    {
        foreach (var line in lines)
        {
            _db.Entry(line).State = EntityState.Detached;
        }
    }
}
