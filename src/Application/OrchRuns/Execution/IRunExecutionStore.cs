using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Persistence for executing runs. Every write is guarded: it fails with
/// <see cref="RunLostException"/> when the run is gone or claimed again by another node, and with
/// ConcurrencyConflictException when the run changed meanwhile (a cancel, say).
/// </summary>
public interface IRunExecutionStore
{
    /// <summary>
    /// Begins a claim of the oldest QUEUED runs, up to <paramref name="max"/> of them (FIFO by
    /// creation, then id), locked so that no other worker can take them meanwhile; null when no
    /// run is queued.
    /// </summary>
    Task<IQueuedRunsClaim?> BeginClaimAsync(int max, CancellationToken cancellationToken);

    /// <summary>A fresh copy of the run, or null when it was deleted.</summary>
    Task<OrchRun?> LoadAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>The highest log sequence written for the run so far (0 when none).</summary>
    Task<long> GetLastLogSequenceAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Saves the run's changes and the log lines in one transaction.</summary>
    Task SaveAsync(OrchRun run, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken);

    /// <summary>Appends log lines while <paramref name="claim"/> is still the run's claim.</summary>
    Task AppendLogAsync(RunClaim claim, IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken);

    /// <summary>Runs whose node stopped renewing its lease, oldest first.</summary>
    Task<IReadOnlyList<Guid>> FindExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Runs cancelled before any worker claimed them.</summary>
    Task<IReadOnlyList<Guid>> FindUnclaimedCancelsAsync(int max, CancellationToken cancellationToken);
}
