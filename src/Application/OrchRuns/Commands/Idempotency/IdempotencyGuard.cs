using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands.Idempotency;

/// <summary>
/// Answers a retried create with the run the first one made, refuses the key with another body,
/// and otherwise reserves the key for the new run. Called inside the namespace transaction, so
/// concurrent retries with one key see each other.
/// </summary>
public sealed class IdempotencyGuard
{
    private readonly IIdempotencyStore _store;
    private readonly IOrchRunRepository _runs;

    public IdempotencyGuard(IIdempotencyStore store, IOrchRunRepository runs)
    {
        _store = store;
        _runs = runs;
    }

    /// <returns>The earlier run to answer with, or null when <paramref name="newRun"/> is to be queued.</returns>
    /// <exception cref="IdempotencyKeyReusedException">The key is live with another request.</exception>
    public async Task<OrchRun?> ReplayOrReserveAsync(IdempotentRequest request, OrchRun newRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newRun);
        var record = await _store.FindAsync(newRun.Namespace, newRun.CreatedBy, request.Key, cancellationToken);
        if (record is null)
        {
            _store.Add(new IdempotencyRecord(newRun.Namespace, newRun.CreatedBy, request.Key, request.Fingerprint, newRun.Id, newRun.CreatedAt));
            return null;
        }

        if (record.IsLiveAt(newRun.CreatedAt))
        {
            if (record.RequestHash != request.Fingerprint)
            {
                throw new IdempotencyKeyReusedException(request.Key);
            }

            if (await _runs.FindAsync(record.RunId, newRun.Namespace, cancellationToken) is { } earlier)
            {
                return earlier;
            }
        }

        record.Reassign(request.Fingerprint, newRun.Id, newRun.CreatedAt);
        return null;
    }
}
