using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Persistence of the <see cref="OrchRun"/> aggregate for the commands; queries read through <see cref="IOrchRunReadModel"/>.</summary>
public interface IOrchRunRepository
{
    /// <summary>The run with its steps, tracked for change, or null when it is not in <paramref name="namespace"/>.</summary>
    Task<OrchRun?> FindAsync(Guid id, string @namespace, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the serialised transaction in which a namespace's queued runs are counted and a new
    /// run inserted, so concurrent creates cannot both see room for one more.
    /// </summary>
    Task<INamespaceTransaction> BeginNamespaceTransactionAsync(string @namespace, CancellationToken cancellationToken);

    void Add(OrchRun run);

    void Remove(OrchRun run);

    /// <summary>Saves tracked changes; throws ConcurrencyConflictException when the run changed meanwhile.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
