namespace OrchRunService.Domain.Schedules;

/// <summary>What a slot does while an earlier run of the same schedule is still queued or running.</summary>
public enum OverlapPolicy
{
    /// <summary>The slot creates no run; the history records it as skipped.</summary>
    Skip = 0,

    /// <summary>The slot creates its run anyway; runs of the schedule queue up behind each other.</summary>
    Queue = 1,

    /// <summary>The earlier runs are asked to stop, then the slot creates its run.</summary>
    CancelPrevious = 2,
}
