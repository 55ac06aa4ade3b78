using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// A run's log, read lazily: the lines are fetched while the answer is written. A follow holds
/// its place among the open follows (<see cref="FollowLease"/>) until this is disposed.
/// </summary>
public sealed record RunLog(Guid RunId, IAsyncEnumerable<RunLogLine> Lines, IDisposable? FollowLease = null) : IDisposable
{
    public void Dispose() => FollowLease?.Dispose();
}
