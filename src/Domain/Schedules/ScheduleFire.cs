namespace OrchRunService.Domain.Schedules;

/// <summary>
/// The record of one slot of a schedule: what it did and why. At most one exists per
/// (schedule, slot): the database's key on the pair is what makes a slot fire once across nodes.
/// </summary>
public sealed class ScheduleFire
{
    public const int MaxReasonLength = 500;

    // For EF Core materialisation.
    private ScheduleFire()
    {
        Reason = string.Empty;
    }

    public ScheduleFire(Guid scheduleId, DateTimeOffset slot, FireOutcome outcome, Guid? runId, string reason, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ScheduleId = scheduleId;
        Slot = slot;
        Outcome = outcome;
        RunId = runId;
        Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        RecordedAt = recordedAt;
    }

    public Guid ScheduleId { get; private set; }

    /// <summary>The fire time the cron named (UTC).</summary>
    public DateTimeOffset Slot { get; private set; }

    public FireOutcome Outcome { get; private set; }

    /// <summary>The run the slot created, when it fired.</summary>
    public Guid? RunId { get; private set; }

    public string Reason { get; private set; }

    /// <summary>When a node handled the slot; minus <see cref="Slot"/>, the fire lag.</summary>
    public DateTimeOffset RecordedAt { get; private set; }
}
