using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Orchestrators;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Persistence of the <see cref="Orchestrator"/> aggregate.</summary>
public interface IOrchestratorRepository
{
    Task<Orchestrator?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken);

    Task<PagedResult<Orchestrator>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken);

    void Add(Orchestrator orchestrator);

    void Remove(Orchestrator orchestrator);

    Task SaveChangesAsync(CancellationToken cancellationToken);
}
