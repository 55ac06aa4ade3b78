using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>A run's log, read lazily: the lines are fetched while the answer is written.</summary>
public sealed record RunLog(Guid RunId, IAsyncEnumerable<RunLogLine> Lines);
