using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class OrchRunRepository : IOrchRunRepository
{
    private static readonly OrchRunStatus[] QueuedOnly = [OrchRunStatus.Queued];

    private readonly OrchRunDbContext _db;

    public OrchRunRepository(OrchRunDbContext db)
    {
        _db = db;
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

    public void Add(OrchRun run) => _db.OrchRuns.Add(run);

    public void Remove(OrchRun run) => _db.OrchRuns.Remove(run);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => _db.SaveChangesGuardedAsync(cancellationToken);

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
