namespace OrchRunService.Domain.OrchRuns;

/// <summary>
/// One line of a run's log. <see cref="Sequence"/> orders the lines of a run from 1;
/// <see cref="IsEnd"/> marks the last line of a finished run.
/// </summary>
public sealed record RunLogLine(Guid RunId, long Sequence, DateTimeOffset Timestamp, RunLogLevel Level, string Message, bool IsEnd);
