using System.Text.Json;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Executes one claimed run: its unfinished steps in order through their connectors, with the
/// seed's log lines, until it completes, fails, is cancelled, is released on shutdown, or is
/// lost (deleted or taken over). Every state change goes through the OrchRun aggregate, and the
/// final status is saved in the same transaction as the log's last line.
/// </summary>
public sealed class OrchRunExecutor
{
    private readonly IRunExecutionStore _store;
    private readonly IConnectorCatalog _connectors;
    private readonly TimeProvider _clock;
    private readonly RunExecutionSettings _settings;

    public OrchRunExecutor(IRunExecutionStore store, IConnectorCatalog connectors, TimeProvider clock, RunExecutionSettings settings)
    {
        _store = store;
        _connectors = connectors;
        _clock = clock;
        _settings = settings;
    }

    /// <summary>
    /// Claims the oldest QUEUED run for <paramref name="nodeId"/> and opens it: the QUEUED ->
    /// RUNNING claim, the opening log lines and the first step's start are committed in one
    /// write transaction. Null when no run is queued. A crash after the commit is recovered like
    /// any crash during a step: the lease expires and the step runs again on the next claim.
    /// </summary>
    public async Task<ClaimedRun?> ClaimNextAsync(string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var claim = await _store.BeginClaimAsync(cancellationToken);
        if (claim is null)
        {
            return null;
        }

        var run = claim.Run;
        var now = _clock.GetUtcNow();
        run.Claim(nodeId, now + lease, now);
        var hold = new RunHold(run.Id, nodeId, run.Attempt);
        var started = _clock.GetTimestamp();
        var log = new RunLogBuffer(run.Id, claim.LastLogSequence, _clock);
        WriteOpening(run, hold, log);
        if (run.Steps.FirstOrDefault(s => s.Status == OrchRunStepStatus.Queued) is { } first)
        {
            run.StartStep(first.Id, now);
        }

        // If the commit fails, the claim rolls back: the run stays QUEUED and the next claim writes its opening.
        await claim.CommitAsync(log.Take(), cancellationToken);
        if (run.Attempt == 1)
        {
            OrchRunMetrics.RunClaimed(now - run.CreatedAt);
        }

        return new ClaimedRun(_store, hold, run, log, started);
    }

    /// <summary>
    /// Claims the oldest QUEUED runs, up to <paramref name="max"/>, for <paramref name="nodeId"/>
    /// and opens each as <see cref="ClaimNextAsync"/> does (claim with its own lease and attempt,
    /// opening log lines, first step's start), all committed in one write transaction. With
    /// <paramref name="max"/> 1 this is <see cref="ClaimNextAsync"/>. Runs claimed together are
    /// executed each in its own scope: <see cref="ExecuteAsync(ClaimedRun, CancellationToken, CancellationToken)"/>
    /// loads them again. Empty when no run is queued.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRun>> ClaimQueuedAsync(string nodeId, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (max == 1)
        {
            return await ClaimNextAsync(nodeId, lease, cancellationToken) is { } one ? [one] : [];
        }

        await using var claim = await _store.BeginClaimAsync(max, cancellationToken);
        if (claim is null)
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var started = _clock.GetTimestamp();
        var claimed = new List<ClaimedRun>(claim.Runs.Count);
        var lines = new List<RunLogLine>();
        foreach (var queued in claim.Runs)
        {
            var run = queued.Run;
            run.Claim(nodeId, now + lease, now);
            var hold = new RunHold(run.Id, nodeId, run.Attempt);
            var log = new RunLogBuffer(run.Id, queued.LastLogSequence, _clock);
            WriteOpening(run, hold, log);
            if (run.Steps.FirstOrDefault(s => s.Status == OrchRunStepStatus.Queued) is { } first)
            {
                run.StartStep(first.Id, now);
            }

            lines.AddRange(log.Take());
            claimed.Add(new ClaimedRun(_store, hold, run, log, started, claimedInBatch: true));
        }

        // If the commit fails, the whole claim rolls back: the runs stay QUEUED.
        await claim.CommitAsync(lines, cancellationToken);
        foreach (var run in claimed.Select(c => c.Run).Where(r => r.Attempt == 1))
        {
            OrchRunMetrics.RunClaimed(now - run.CreatedAt);
        }

        return claimed;
    }

    /// <summary>Executes a run claimed and opened by <see cref="ClaimNextAsync"/> or <see cref="ClaimQueuedAsync"/>, from its first step on.</summary>
    /// <param name="claimed">The run as claimed.</param>
    /// <param name="interrupt">Fires on cancel, delete, lost lease, and shutdown after its grace period.</param>
    /// <param name="shuttingDown">Fires when the host begins to stop.</param>
    public Task<RunExecutionOutcome> ExecuteAsync(ClaimedRun claimed, CancellationToken interrupt, CancellationToken shuttingDown)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        if (claimed.ClaimedInBatch)
        {
            return ExecuteClaimedInBatchAsync(claimed, interrupt, shuttingDown);
        }

        if (!ReferenceEquals(claimed.Store, _store))
        {
            throw new InvalidOperationException("A claimed run is executed by the executor (the scope) that claimed it.");
        }

        return ExecuteStepsAsync(claimed.Run, claimed.Hold, claimed.Log, claimed.Started, interrupt, shuttingDown);
    }

    /// <summary>
    /// A run claimed and opened together with others: loaded again through this executor's own
    /// store (one read), then executed from its first step on with the claim's log buffer.
    /// </summary>
    private async Task<RunExecutionOutcome> ExecuteClaimedInBatchAsync(ClaimedRun claimed, CancellationToken interrupt, CancellationToken shuttingDown)
    {
        var hold = claimed.Hold;
        var run = await _store.LoadAsync(hold.RunId, CancellationToken.None);
        if (!IsHeld(run, hold))
        {
            return RunExecutionOutcome.Abandoned;
        }

        if (run!.Status == OrchRunStatus.RequestCancel)
        {
            var startedStep = run.Steps.FirstOrDefault(s => s.Status == OrchRunStepStatus.Running);
            return await CancelAsync(run, claimed.Log, hold, claimed.Started, startedStep?.Name);
        }

        return await ExecuteStepsAsync(run, hold, claimed.Log, claimed.Started, interrupt, shuttingDown);
    }

    /// <summary>
    /// Runs the unfinished steps in order (the first may have been started with the claim) and
    /// finishes the run. The last step's end is saved together with the run's final status.
    /// </summary>
    private async Task<RunExecutionOutcome> ExecuteStepsAsync(OrchRun run, RunHold hold, RunLogBuffer log, long started, CancellationToken interrupt, CancellationToken shuttingDown)
    {
        using var own = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var stepIds = run.Steps.Where(s => s.Status is OrchRunStepStatus.Queued or OrchRunStepStatus.Running).Select(s => s.Id).ToList();
        foreach (var stepId in stepIds)
        {
            var step = run.Steps.Single(s => s.Id == stepId);
            var startedWithClaim = step.Status == OrchRunStepStatus.Running;
            if (interrupt.IsCancellationRequested)
            {
                return await InterruptedAsync(hold, log, started, startedWithClaim ? step.Name : null, shuttingDown);
            }

            if (!startedWithClaim)
            {
                step = run.StartStep(stepId, _clock.GetUtcNow());
                if (await TrySaveAsync(run, log) is { } settled)
                {
                    return await SettleAsync(settled, hold, log, started, step.Name);
                }
            }

            log.Info(RunLogMessages.ExecutingStep(step, hold.NodeId));
            var connector = _connectors.Find(step.ComponentId);
            if (connector is null)
            {
                var reason = RunLogMessages.UnknownComponent(step);
                OrchRunMetrics.StepFinished("unknown", "failed", TimeSpan.Zero);
                log.Error(RunLogMessages.StepFailed(step, reason));
                run.FailStep(step.Id, reason, _clock.GetUtcNow());
                break;
            }

            var stepStarted = _clock.GetTimestamp();
            string? failure;
            try
            {
                failure = await RunStepWithRetriesAsync(connector, step, log, hold, own);
            }
            catch (OperationCanceledException) when (own.IsCancellationRequested)
            {
                return await InterruptedAsync(hold, log, started, step.Name, shuttingDown);
            }
            catch (RunLostException)
            {
                return RunExecutionOutcome.Abandoned;
            }

            if (failure is not null)
            {
                log.Error(RunLogMessages.StepFailed(step, failure));
                log.Info(RunLogMessages.StepTook(step, _clock.GetElapsedTime(stepStarted)));
                run.FailStep(step.Id, failure, _clock.GetUtcNow());
                OrchRunMetrics.StepFinished(connector.Name, "failed", _clock.GetElapsedTime(stepStarted));
                break;
            }

            OrchRunMetrics.StepFinished(connector.Name, "completed", _clock.GetElapsedTime(stepStarted));
            log.Info(RunLogMessages.StepTook(step, _clock.GetElapsedTime(stepStarted)));
            run.CompleteStep(step.Id, _clock.GetUtcNow());

            // The last step's end is saved with the run's finish (one write transaction fewer);
            // a crash before that save leaves the step RUNNING, so recovery runs it again.
            if (stepId == stepIds[^1])
            {
                break;
            }

            if (await TrySaveAsync(run, log) is { } changed)
            {
                return await SettleAsync(changed, hold, log, started, stepName: null);
            }
        }

        if (run.Status == OrchRunStatus.Running)
        {
            run.Complete(_clock.GetUtcNow());
        }

        return await FinishAsync(run, log, hold, started);
    }

    /// <summary>The seed's first lines: the run has begun (again, on a later attempt), on this node.</summary>
    private void WriteOpening(OrchRun run, RunHold hold, RunLogBuffer log)
    {
        log.Info(RunLogMessages.Begun);
        if (hold.Attempt > 1)
        {
            log.Warn(RunLogMessages.Resuming(run, _settings.MaxAttempts));
        }

        log.Info(RunLogMessages.RunningOrchestrator(run, hold.NodeId));
    }

    private static bool IsHeld(OrchRun? run, RunHold hold) =>
        run is not null
        && run.NodeId == hold.NodeId
        && run.Attempt == hold.Attempt
        && run.Status is OrchRunStatus.Running or OrchRunStatus.RequestCancel;

    private static RunExecutionOutcome OutcomeOf(OrchRun run) => run.Status switch
    {
        OrchRunStatus.Completed => RunExecutionOutcome.Completed,
        OrchRunStatus.Failed => RunExecutionOutcome.Failed,
        OrchRunStatus.Cancelled => RunExecutionOutcome.Cancelled,
        _ => RunExecutionOutcome.Released,
    };

    /// <summary>
    /// Runs the step's attempts under its policy: each attempt within the time limit, a failed
    /// one retried after a doubling delay. Returns null on success, else why the last attempt
    /// failed. An interrupt (also during a retry wait) propagates as OperationCanceledException.
    /// </summary>
    private async Task<string?> RunStepWithRetriesAsync(IConnector connector, OrchRunStep step, RunLogBuffer log, RunHold hold, CancellationTokenSource own)
    {
        var policy = step.Policy;
        for (var retry = 0; ; retry++)
        {
            string reason;
            using var timeout = policy.TimeoutSeconds is { } limit
                ? new CancellationTokenSource(TimeSpan.FromSeconds(limit), _clock)
                : new CancellationTokenSource();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(own.Token, timeout.Token);
            try
            {
                await RunConnectorAsync(connector, step, log, hold, attempt.Token, own);
                return null;
            }
            catch (OperationCanceledException) when (!own.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                reason = RunLogMessages.TimedOut(policy.TimeoutSeconds!.Value);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !own.IsCancellationRequested)
            {
                if (ex is RunLostException)
                {
                    throw;
                }

                reason = ex is ConnectorFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            }

            if (retry >= policy.Retries)
            {
                return reason;
            }

            var delay = policy.DelayBeforeRetry(retry + 1);
            log.Warn(RunLogMessages.Retrying(step, reason, retry + 1, policy.Retries, delay));

            // Write the lines before waiting, so the log shows why the step waits while it waits
            // (a retry delay can be an hour); a run lost meanwhile propagates RunLostException.
            await FlushAsync(hold, log);

            await Task.Delay(delay, _clock, own.Token);
        }
    }

    /// <summary>
    /// Writes the pending lines while the run is held. A run lost meanwhile propagates
    /// <see cref="RunLostException"/>; any other failure (a database locked past its busy timeout)
    /// puts the lines back, to be written with the next flush or save, so none goes missing.
    /// </summary>
    private async Task FlushAsync(RunHold hold, RunLogBuffer log)
    {
        if (!log.HasPending)
        {
            return;
        }

        var batch = log.Take();
        try
        {
            await _store.AppendLogAsync(hold, batch, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not RunLostException)
        {
            log.Restore(batch);
        }
    }

    /// <summary>
    /// Runs the connector, persisting its log lines every flush interval meanwhile. A run found
    /// lost while flushing stops the connector.
    /// </summary>
    private async Task RunConnectorAsync(IConnector connector, OrchRunStep step, RunLogBuffer log, RunHold hold, CancellationToken connectorToken, CancellationTokenSource own)
    {
        using var parameters = JsonDocument.Parse(step.RunParams.Json);
        var context = new ConnectorContext(step.RunId, step.Name, parameters.RootElement, log);
        var execution = connector.ExecuteAsync(context, connectorToken);
        var lost = false;
        while (!execution.IsCompleted)
        {
            await Task.WhenAny(execution, Task.Delay(_settings.LogFlushInterval, _clock, CancellationToken.None));
            if (execution.IsCompleted || !log.HasPending || lost)
            {
                continue;
            }

            try
            {
                await FlushAsync(hold, log);
            }
            catch (RunLostException)
            {
                lost = true;
                await own.CancelAsync();
            }
        }

        if (lost)
        {
            throw new RunLostException(hold.RunId);
        }

        await execution;
    }

    /// <summary>Saves progress; on a conflict returns the run as it is now (null when deleted or lost), else null.</summary>
    private async Task<Reloaded?> TrySaveAsync(OrchRun run, RunLogBuffer log)
    {
        var batch = log.Take();
        try
        {
            await _store.SaveAsync(run, batch, CancellationToken.None);
            return null;
        }
        catch (ConcurrencyConflictException)
        {
            log.Restore(batch);
            return new Reloaded(await _store.LoadAsync(run.Id, CancellationToken.None));
        }
        catch (RunLostException)
        {
            // The store refuses the write because the run is gone (its log lines hit the deleted
            // run's foreign key): abandon it like a conflict that reloads nothing.
            return new Reloaded(null);
        }
    }

    /// <summary>The run changed under us: a cancel finishes it, anything else means it is no longer ours.</summary>
    private Task<RunExecutionOutcome> SettleAsync(Reloaded reloaded, RunHold hold, RunLogBuffer log, long started, string? stepName) =>
        IsHeld(reloaded.Run, hold) && reloaded.Run!.Status == OrchRunStatus.RequestCancel
            ? CancelAsync(reloaded.Run, log, hold, started, stepName)
            : Task.FromResult(RunExecutionOutcome.Abandoned);

    private async Task<RunExecutionOutcome> InterruptedAsync(RunHold hold, RunLogBuffer log, long started, string? stepName, CancellationToken shuttingDown)
    {
        var run = await _store.LoadAsync(hold.RunId, CancellationToken.None);
        if (!IsHeld(run, hold))
        {
            return RunExecutionOutcome.Abandoned;
        }

        if (run!.Status == OrchRunStatus.RequestCancel)
        {
            return await CancelAsync(run, log, hold, started, stepName);
        }

        if (shuttingDown.IsCancellationRequested)
        {
            log.Warn(RunLogMessages.ReleasedOnShutdown(run, hold.NodeId));
            run.ReleaseOnShutdown(hold.NodeId, _clock.GetUtcNow());
            return await TrySaveAsync(run, log) is { } changed
                ? await SettleAsync(changed, hold, log, started, stepName)
                : RunExecutionOutcome.Released;
        }

        // Interrupted for a reason the database does not show (yet): leave the run to lease
        // recovery rather than guess.
        return RunExecutionOutcome.Abandoned;
    }

    private async Task<RunExecutionOutcome> CancelAsync(OrchRun run, RunLogBuffer log, RunHold hold, long started, string? stepName)
    {
        log.Warn(RunLogMessages.CancelledWhileRunning(run, stepName));
        run.ConfirmCancelled(_clock.GetUtcNow());
        return await FinishAsync(run, log, hold, started);
    }

    /// <summary>Writes the closing lines and the final status together; if the run changed meanwhile, settles again.</summary>
    private async Task<RunExecutionOutcome> FinishAsync(OrchRun run, RunLogBuffer log, RunHold hold, long started)
    {
        var beforeClosing = log.LastSequence;
        RunLogMessages.WriteClosing(log, run, _clock.GetElapsedTime(started));
        if (await TrySaveAsync(run, log) is not { } changed)
        {
            OrchRunMetrics.RunFinished(run.Namespace, run.Status, _clock.GetElapsedTime(started));
            return OutcomeOf(run);
        }

        log.RewindTo(beforeClosing);
        if (IsHeld(changed.Run, hold) && changed.Run!.Status == OrchRunStatus.RequestCancel && run.Status != OrchRunStatus.Cancelled)
        {
            return await CancelAsync(changed.Run, log, hold, started, stepName: null);
        }

        return RunExecutionOutcome.Abandoned;
    }

    private sealed record Reloaded(OrchRun? Run);
}
