namespace OrchRunService.Domain.Schedules;

/// <summary>How one slot of a schedule ended; each slot has exactly one outcome.</summary>
public enum FireOutcome
{
    /// <summary>The slot created a run.</summary>
    Fired = 0,

    /// <summary>Overlap policy skip: a run of the schedule was still queued or running.</summary>
    SkippedOverlap = 1,

    /// <summary>The namespace already held its maximum of queued runs.</summary>
    RefusedQueueLimit = 2,

    /// <summary>The slot passed while no node could fire it, and the catch-up policy let it go.</summary>
    Missed = 3,

    /// <summary>The run could not be created (its orchestrator was deleted or no longer has a step the parameters name).</summary>
    Failed = 4,
}
