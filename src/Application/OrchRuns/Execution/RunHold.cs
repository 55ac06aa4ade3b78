namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Which node holds a run, and for which claim; a write under a stale hold is refused.</summary>
public sealed record RunHold(Guid RunId, string NodeId, int Attempt);
