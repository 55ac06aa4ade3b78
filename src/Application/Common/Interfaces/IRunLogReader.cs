using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Reads a run's persisted log, oldest line first, without loading it whole.</summary>
public interface IRunLogReader
{
    /// <summary>The lines numbered after <paramref name="afterSequence"/> (0 for all).</summary>
    IAsyncEnumerable<RunLogLine> ReadAsync(Guid runId, long afterSequence, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    Task<IReadOnlyList<RunLogLine>> ReadTailAsync(Guid runId, int count, CancellationToken cancellationToken);

    /// <summary>The run's status now, or null once it is deleted: tells a follower when to stop.</summary>
    Task<OrchRunStatus?> GetRunStatusAsync(Guid runId, CancellationToken cancellationToken);
}
