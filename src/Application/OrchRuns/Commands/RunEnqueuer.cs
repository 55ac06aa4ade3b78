using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Application.OrchRuns.Commands.Idempotency;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Commands;

/// <summary>
/// Queues a new run (a create or a rerun) in its namespace's serialised transaction: under the
/// queued-run limit, with an optional Idempotency-Key, and wakes the worker once it is committed.
/// </summary>
public sealed class RunEnqueuer
{
    private readonly IOrchRunRepository _runs;
    private readonly IdempotencyGuard _idempotency;
    private readonly QueuedRunLimit _limit;
    private readonly IRunQueueSignal _queueSignal;

    public RunEnqueuer(IOrchRunRepository runs, IdempotencyGuard idempotency, QueuedRunLimit limit, IRunQueueSignal queueSignal)
    {
        _runs = runs;
        _idempotency = idempotency;
        _limit = limit;
        _queueSignal = queueSignal;
    }

    /// <returns>The queued run, or the earlier run a retried idempotent create made.</returns>
    public async Task<OrchRun> EnqueueAsync(OrchRun run, IdempotentRequest? idempotentRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using (var transaction = await _runs.BeginNamespaceTransactionAsync(run.Namespace, cancellationToken))
        {
            if (idempotentRequest is not null
                && await _idempotency.ReplayOrReserveAsync(idempotentRequest, run, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            _limit.EnsureRoomFor(run.Namespace, transaction.QueuedRuns);
            _runs.Add(run);
            await transaction.CommitAsync(cancellationToken);
        }

        _queueSignal.RunQueued();
        OrchRunMetrics.RunCreated(run.Namespace);
        return run;
    }
}
