using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>
/// The records of creates that carried an <c>Idempotency-Key</c>. They share the unit of work of
/// <see cref="IOrchRunRepository"/>, so a record found or added inside a namespace transaction is
/// committed, or rolled back, with the run it names.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The record of an earlier create with this key by this user in the namespace, tracked.</summary>
    Task<IdempotencyRecord?> FindAsync(string @namespace, string userId, string key, CancellationToken cancellationToken);

    void Add(IdempotencyRecord record);
}
