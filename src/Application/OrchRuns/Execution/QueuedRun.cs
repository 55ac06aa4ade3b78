using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>A run taken by an <see cref="IQueuedRunsClaim"/>, with the highest log sequence written for it so far (0 when none).</summary>
public sealed record QueuedRun(OrchRun Run, long LastLogSequence);
