namespace OrchRunService.Domain.Schedules;

/// <summary>What happens to slots that passed while no node could fire them (downtime, a long outage).</summary>
public enum CatchupPolicy
{
    /// <summary>Late slots are recorded as missed; only slots fired on time create runs.</summary>
    None = 0,

    /// <summary>The latest late slot creates a run; the earlier ones are recorded as missed.</summary>
    Last = 1,

    /// <summary>Every late slot creates a run, the most recent ones up to the catch-up limit; older ones are missed.</summary>
    All = 2,
}
