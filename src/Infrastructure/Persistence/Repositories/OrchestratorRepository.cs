using Microsoft.EntityFrameworkCore;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Infrastructure.Persistence.Repositories;

internal sealed class OrchestratorRepository : IOrchestratorRepository
{
    private readonly OrchRunDbContext _db;

    public OrchestratorRepository(OrchRunDbContext db)
    {
        _db = db;
    }

    public Task<Orchestrator?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken) =>
        _db.Orchestrators.Include(o => o.Steps).SingleOrDefaultAsync(o => o.Id == id && o.Namespace == @namespace, cancellationToken);

    public async Task<PagedResult<Orchestrator>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken)
    {
        var query = _db.Orchestrators.AsNoTracking().Where(o => o.Namespace == @namespace);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Include(o => o.Steps)
            .AsSplitQuery()
            .PageAsync(offset, pageSize, total, cancellationToken);
        return new PagedResult<Orchestrator>(items, total);
    }

    public void Add(Orchestrator orchestrator) => _db.Orchestrators.Add(orchestrator);

    public void Remove(Orchestrator orchestrator) => _db.Orchestrators.Remove(orchestrator);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => _db.SaveChangesGuardedAsync(cancellationToken);
}
