using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// An open claim of the oldest QUEUED runs (up to a maximum, FIFO by creation): the runs are
/// locked against other workers until the claim is committed or disposed (disposing an
/// uncommitted claim rolls it back, and the runs stay QUEUED).
/// </summary>
public interface IQueuedRunsClaim : IAsyncDisposable
{
    /// <summary>The runs with their steps, as stored when the claim began, oldest first.</summary>
    IReadOnlyList<QueuedRun> Runs { get; }

    /// <summary>Saves the runs' changes and the log lines of all of them, and commits the claim: one write transaction.</summary>
    Task CommitAsync(IReadOnlyList<RunLogLine> lines, CancellationToken cancellationToken);
}
