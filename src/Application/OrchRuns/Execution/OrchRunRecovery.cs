using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// What any live worker does for runs nobody is executing: requeues (or fails) runs whose node
/// stopped renewing its lease, and finishes runs cancelled before they were claimed.
/// </summary>
public sealed class OrchRunRecovery
{
    private const int BatchSize = 50;

    private readonly IRunExecutionStore _store;
    private readonly TimeProvider _clock;
    private readonly RunExecutionSettings _settings;

    public OrchRunRecovery(IRunExecutionStore store, TimeProvider clock, RunExecutionSettings settings)
    {
        _store = store;
        _clock = clock;
        _settings = settings;
    }

    /// <summary>Returns how many runs were requeued or finished.</summary>
    public async Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var recovered = 0;
        foreach (var id in await _store.FindExpiredLeasesAsync(_clock.GetUtcNow(), BatchSize, cancellationToken))
        {
            var run = await _store.LoadAsync(id, cancellationToken);
            if (run is null || run.LeaseExpiresAt is not { } expiry || expiry >= _clock.GetUtcNow()
                || run.Status is not (OrchRunStatus.Running or OrchRunStatus.RequestCancel))
            {
                continue;
            }

            var lostNode = run.NodeId;
            var log = new RunLogBuffer(run.Id, await _store.GetLastLogSequenceAsync(run.Id, cancellationToken), _clock);
            run.RecoverFromLostLease(_settings.MaxAttempts, _clock.GetUtcNow());
            switch (run.Status)
            {
                case OrchRunStatus.Queued:
                    log.Warn(RunLogMessages.LeaseLostRequeued(run, lostNode, _settings.MaxAttempts));
                    break;
                case OrchRunStatus.Failed:
                    log.Error(RunLogMessages.LeaseLostFinal(run));
                    RunLogMessages.WriteClosing(log, run, TimeSpan.Zero);
                    break;
                default:
                    log.Warn(RunLogMessages.CancelledWhileRunning(run, stepName: null));
                    RunLogMessages.WriteClosing(log, run, TimeSpan.Zero);
                    break;
            }

            if (await TrySaveAsync(run, log, cancellationToken))
            {
                recovered++;
                OrchRunMetrics.RunFinished(run.Namespace, run.Status, duration: null);
            }
        }

        return recovered;
    }

    /// <summary>Finishes runs cancelled while still QUEUED: they never start.</summary>
    public async Task<int> FinishUnclaimedCancelsAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        foreach (var id in await _store.FindUnclaimedCancelsAsync(BatchSize, cancellationToken))
        {
            var run = await _store.LoadAsync(id, cancellationToken);
            if (run is not { Status: OrchRunStatus.RequestCancel, NodeId: null })
            {
                continue;
            }

            var log = new RunLogBuffer(run.Id, await _store.GetLastLogSequenceAsync(run.Id, cancellationToken), _clock);
            log.Info(RunLogMessages.CancelledBeforeStart(run));
            run.ConfirmCancelled(_clock.GetUtcNow());
            RunLogMessages.WriteClosing(log, run, TimeSpan.Zero);
            if (await TrySaveAsync(run, log, cancellationToken))
            {
                finished++;
                OrchRunMetrics.RunFinished(run.Namespace, run.Status, duration: null);
            }
        }

        return finished;
    }

    // Another worker got there first, or the run was deleted: nothing to do.
    private async Task<bool> TrySaveAsync(OrchRun run, RunLogBuffer log, CancellationToken cancellationToken)
    {
        try
        {
            await _store.SaveAsync(run, log.Take(), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is ConcurrencyConflictException or RunLostException)
        {
            return false;
        }
    }
}
