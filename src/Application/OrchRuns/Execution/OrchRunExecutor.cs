using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Executes one claimed run in its own scope: loads it, runs its unfinished steps in order
/// (<see cref="StepRunner"/>), saving progress between steps, and ends it (<see cref="RunFinisher"/>):
/// completed, failed, cancelled, released on shutdown, or lost. Every state change goes through
/// the OrchRun aggregate.
/// </summary>
public sealed class OrchRunExecutor
{
    private readonly IRunExecutionStore _store;
    private readonly StepRunner _steps;
    private readonly RunFinisher _finisher;
    private readonly TimeProvider _clock;

    public OrchRunExecutor(IRunExecutionStore store, StepRunner steps, RunFinisher finisher, TimeProvider clock)
    {
        _store = store;
        _steps = steps;
        _finisher = finisher;
        _clock = clock;
    }

    /// <summary>Executes a run claimed and opened by <see cref="RunClaimer"/>, from its first unfinished step on.</summary>
    /// <param name="claimed">The run as claimed.</param>
    /// <param name="interrupt">Fires on cancel, delete, lost lease, and shutdown after its grace period.</param>
    /// <param name="shuttingDown">Fires when the host begins to stop.</param>
    public async Task<RunOutcome> ExecuteAsync(ClaimedRun claimed, CancellationToken interrupt, CancellationToken shuttingDown)
    {
        ArgumentNullException.ThrowIfNull(claimed);

        // One cheap read (the run with its steps): the claim was committed by another scope.
        var run = await _store.LoadAsync(claimed.RunId, CancellationToken.None);
        var state = ExecutingRun.StateOf(run, claimed.Claim);
        if (state == ClaimState.Lost)
        {
            return RunOutcome.Lost;
        }

        var executing = new ExecutingRun(_store, claimed, run!, new RunLogBuffer(claimed.RunId, claimed.LastLogSequence, _clock));
        if (state == ClaimState.CancelRequested)
        {
            var startedStep = run!.Steps.FirstOrDefault(s => s.Status == OrchRunStepStatus.Running);
            return await _finisher.CancelAsync(executing, startedStep?.Name);
        }

        return await ExecuteStepsAsync(executing, interrupt, shuttingDown);
    }

    /// <summary>
    /// Runs the unfinished steps in order (the first may have been started with the claim). The
    /// last step's end is saved together with the run's final status.
    /// </summary>
    private async Task<RunOutcome> ExecuteStepsAsync(ExecutingRun executing, CancellationToken interrupt, CancellationToken shuttingDown)
    {
        var run = executing.Run;
        var stepIds = run.Steps.Where(s => s.Status is OrchRunStepStatus.Queued or OrchRunStepStatus.Running).Select(s => s.Id).ToList();
        foreach (var stepId in stepIds)
        {
            var step = run.Steps.Single(s => s.Id == stepId);
            var startedWithClaim = step.Status == OrchRunStepStatus.Running;
            if (interrupt.IsCancellationRequested)
            {
                return await _finisher.InterruptedAsync(executing, startedWithClaim ? step.Name : null, shuttingDown);
            }

            if (!startedWithClaim)
            {
                step = run.StartStep(stepId, _clock.GetUtcNow());
                if (await executing.SaveAsync() is var started and not ClaimState.Held)
                {
                    return await _finisher.SettleAsync(executing, started, step.Name);
                }
            }

            switch (await _steps.RunAsync(executing, step, interrupt))
            {
                case StepOutcome.Interrupted:
                    return await _finisher.InterruptedAsync(executing, step.Name, shuttingDown);
                case StepOutcome.Lost:
                    return RunOutcome.Lost;
                case StepOutcome.Failed:
                    return await _finisher.FinishAsync(executing);
            }

            // The last step's end is saved with the run's finish (one write transaction fewer);
            // a crash before that save leaves the step RUNNING, so recovery runs it again.
            if (stepId != stepIds[^1] && await executing.SaveAsync() is var saved and not ClaimState.Held)
            {
                return await _finisher.SettleAsync(executing, saved, stepName: null);
            }
        }

        run.Complete(_clock.GetUtcNow());
        return await _finisher.FinishAsync(executing);
    }
}
