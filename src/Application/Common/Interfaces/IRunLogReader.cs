using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Reads a run's persisted log, oldest line first, without loading it whole.</summary>
public interface IRunLogReader
{
    IAsyncEnumerable<RunLogLine> ReadAsync(Guid runId, CancellationToken cancellationToken);
}
