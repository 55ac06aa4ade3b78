using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Persistence of <see cref="Secret"/>s, always within one namespace.</summary>
public interface ISecretRepository
{
    Task<Secret?> FindAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The namespace's secrets of these names that exist, read only (the worker's read).</summary>
    Task<IReadOnlyList<Secret>> ReadAsync(string @namespace, IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    /// <summary>A page of the namespace's secrets, by name.</summary>
    Task<PagedResult<Secret>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken);

    void Add(Secret secret);

    void Remove(Secret secret);

    /// <summary>Saves; a secret created or removed by someone else meanwhile is a ConcurrencyConflictException.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
