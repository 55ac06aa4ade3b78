using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Claims the oldest QUEUED runs for a node and opens them: for each run the claim (with its
/// lease and attempt), the opening log lines and the first step's start, all committed in one
/// write transaction. A crash after the commit is recovered like a crash during a step: the
/// lease expires and the step runs again on the next claim.
/// </summary>
public sealed class RunClaimer
{
    private readonly IRunExecutionStore _store;
    private readonly TimeProvider _clock;
    private readonly RunExecutionSettings _settings;

    public RunClaimer(IRunExecutionStore store, TimeProvider clock, RunExecutionSettings settings)
    {
        _store = store;
        _clock = clock;
        _settings = settings;
    }

    /// <summary>
    /// Claims and opens up to <paramref name="max"/> runs, oldest first; each is then executed in
    /// its own scope by <see cref="OrchRunExecutor"/>. Empty when no run is queued.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string nodeId, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var claim = await _store.BeginClaimAsync(max, cancellationToken);
        if (claim is null)
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var claimedAt = _clock.GetTimestamp();
        var claimed = new List<ClaimedRun>(claim.Runs.Count);
        var lines = new List<RunLogLine>();
        foreach (var (run, lastLogSequence) in claim.Runs)
        {
            run.Claim(nodeId, now + lease, now);
            var log = new RunLogBuffer(run.Id, lastLogSequence, _clock);
            WriteOpening(run, nodeId, log);
            if (run.Steps.FirstOrDefault(s => s.Status == OrchRunStepStatus.Queued) is { } first)
            {
                run.StartStep(first.Id, now);
            }

            lines.AddRange(log.Take());
            claimed.Add(new ClaimedRun(new RunClaim(run.Id, nodeId, run.Attempt), log.LastSequence, claimedAt));
        }

        // If the commit fails, the whole claim rolls back: the runs stay QUEUED.
        await claim.CommitAsync(lines, cancellationToken);
        foreach (var (run, _) in claim.Runs.Where(r => r.Run.Attempt == 1))
        {
            OrchRunMetrics.RunClaimed(now - run.CreatedAt);
        }

        return claimed;
    }

    /// <summary>The seed's first lines: the run has begun (again, on a later attempt), on this node.</summary>
    private void WriteOpening(OrchRun run, string nodeId, RunLogBuffer log)
    {
        log.Info(RunLogMessages.Begun);
        if (run.Attempt > 1)
        {
            log.Warn(RunLogMessages.Resuming(run, _settings.MaxAttempts));
        }

        log.Info(RunLogMessages.RunningOrchestrator(run, nodeId));
    }
}
