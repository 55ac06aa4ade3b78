using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Retention;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class OrchRunRepository : IOrchRunRepository
{
    private static readonly OrchRunStatus[] QueuedOnly = [OrchRunStatus.Queued];

    private readonly OrchRunDbContext _db;
    private readonly RunParamsLimit _paramsLimit;
    private readonly RunLogDeleter _logs;

    public OrchRunRepository(OrchRunDbContext db, RunParamsLimit paramsLimit, RunLogDeleter logs)
    {
        _db = db;
        _paramsLimit = paramsLimit;
        _logs = logs;
    }

    public Task<OrchRun?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        _db.OrchRuns.Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == id && r.Namespace == @namespace, cancellationToken);

    public async Task<INamespaceTransaction> BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken)
    {
        await _db.BeginNamespaceTransactionAsync(@namespace, cancellationToken);
        try
        {
            // Inside this transaction every other writer waits (SQLite's write lock): read the kept
            // count where the provider has one rather than count every queued run of the namespace.
            var queued = await _db.CountRunsAsync(@namespace, QueuedOnly, cancellationToken)
                ?? await _db.OrchRuns.CountAsync(r => r.Namespace == @namespace && r.Status == OrchRunStatus.Queued, cancellationToken);
            return new NamespaceTransaction(_db, (int)queued);
        }
        catch
        {
            await _db.Database.RollbackTransactionAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Adds a new run (a create or a rerun). The size of its parameters as stored is checked here,
    /// where every new run passes, since it is only known once the orchestrator's defaults are laid under them.
    /// </summary>
    public void Add(OrchRun run)
    {
        _paramsLimit.EnsureWithin(run);
        _db.OrchRuns.Add(run);
    }

    public void Remove(OrchRun run) => _db.OrchRuns.Remove(run);

    /// <summary>
    /// Saves the tracked changes. A removed finished run's log goes first, in batches of short
    /// transactions (<see cref="RunLogDeleter"/>): the run's own delete would otherwise cascade to
    /// every line in one long one, holding the database from every other writer. Only a finished
    /// run: no worker changes it any more, so the delete that follows cannot lose a race and leave
    /// the run behind with part of its log; for the same reason that delete, once begun, is not
    /// cancelled. A QUEUED or RUNNING run's log, at most <c>Runs:MaxLogLinesPerRun</c> lines, goes
    /// with the run in one delete as before.
    /// </summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var finishedRemoved = _db.ChangeTracker.Entries<OrchRun>()
            .Where(e => e.State == EntityState.Deleted && e.Entity.Status.IsTerminal())
            .Select(e => e.Entity.Id)
            .ToList();
        foreach (var removed in finishedRemoved)
        {
            await _logs.DeleteAsync(removed, CancellationToken.None);
        }

        await _db.SaveChangesGuardedAsync(finishedRemoved.Count > 0 ? CancellationToken.None : cancellationToken);
    }

    private sealed class NamespaceTransaction : INamespaceTransaction
    {
        private readonly OrchRunDbContext _db;
        private bool _committed;

        public NamespaceTransaction(OrchRunDbContext db, int queuedRuns)
        {
            _db = db;
            QueuedRuns = queuedRuns;
        }

        public int QueuedRuns { get; }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await _db.SaveChangesAsync(cancellationToken);
            await _db.Database.CommitTransactionAsync(cancellationToken);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_committed && _db.Database.CurrentTransaction is not null)
            {
                await _db.Database.RollbackTransactionAsync(CancellationToken.None);
                _db.ChangeTracker.Clear();
            }
        }
    }
}
