namespace OrchRunService.Application.Common.Interfaces;

/// <summary>
/// Tells a run's log followers in this process that lines were written, so they read them at
/// once instead of polling. Lines written by another process are not signalled: followers also
/// poll, with a backoff.
/// </summary>
public interface IRunLogSignal
{
    /// <summary>Lines of <paramref name="runId"/> were committed.</summary>
    void LinesWritten(Guid runId);

    /// <summary>
    /// Waits until lines of <paramref name="runId"/> are written or <paramref name="timeout"/>
    /// passes on <paramref name="clock"/>; throws when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task WaitAsync(Guid runId, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken);
}
