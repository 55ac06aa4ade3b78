namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>Which node claimed a run, and on which attempt; a write under a stale claim is refused.</summary>
public sealed record RunClaim(Guid RunId, string NodeId, int Attempt);
