using OrchRunService.Application.Common.Models;
using OrchRunService.Application.OrchRuns;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>
/// The query side of runs: what GET /orchrun and GET /orchrun/{id} answer, read untracked and
/// mapped to the wire DTOs. The commands load runs through <see cref="IOrchRunRepository"/>,
/// tracked for change; reads do not need to pay for that.
/// </summary>
public interface IOrchRunReadModel
{
    /// <summary>The run with its steps in order, or null when it is not in <paramref name="namespace"/>.</summary>
    Task<OrchRunDto?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken);

    /// <summary>One page of runs with their steps, newest first, and the size of the whole filtered set.</summary>
    Task<PagedResult<OrchRunDto>> ListAsync(OrchRunListFilter filter, CancellationToken cancellationToken);
}
