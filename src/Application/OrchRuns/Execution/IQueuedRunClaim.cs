using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// An open claim of the oldest QUEUED run: the run is locked against other workers until the
/// claim is committed or disposed (disposing an uncommitted claim rolls it back, and the run
/// stays QUEUED).
/// </summary>
public interface IQueuedRunClaim : IAsyncDisposable
{
    /// <summary>The run with its steps, as stored when the claim began.</summary>
    OrchRun Run { get; }

    /// <summary>The highest log sequence written for the run so far (0 when none).</summary>
    long LastLogSequence { get; }

    /// <summary>Saves the run's changes and the log lines, and commits the claim: one write transaction.</summary>
    Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken);
}
