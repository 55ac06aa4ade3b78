using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.Schedules;

/// <summary>
/// Runs of one orchestrator of a namespace, created by a node at every fire time ("slot") of a
/// cron expression in a time zone. The schedule owns its slot arithmetic: which slot is next,
/// which due slots fire or are missed (catch-up policy) and what a firing slot does while an
/// earlier run of the schedule is active (overlap policy).
/// </summary>
public sealed class Schedule
{
    public const int MaxActualParams = 100;

    private List<ActualStepParameters> _actualParams = [];
    private ScheduleCron? _cron;

    // For EF Core materialisation.
    private Schedule()
    {
        Namespace = string.Empty;
        Cron = string.Empty;
        TimeZone = ScheduleCron.DefaultTimeZone;
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The one namespace (project) that owns the schedule and its runs.</summary>
    public string Namespace { get; private set; }

    public Guid OrchestratorId { get; private set; }

    public string Cron { get; private set; }

    public string TimeZone { get; private set; }

    /// <summary>The parameters every run of the schedule gets, as for a create.</summary>
    public IReadOnlyList<ActualStepParameters> ActualParams
    {
        get => _actualParams;
        private set => _actualParams = [.. value];
    }

    public bool Enabled { get; private set; }

    public OverlapPolicy Overlap { get; private set; }

    public CatchupPolicy Catchup { get; private set; }

    /// <summary>No slot before this instant fires.</summary>
    public DateTimeOffset? StartAt { get; private set; }

    /// <summary>No slot after this instant fires.</summary>
    public DateTimeOffset? EndAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>The earliest slot not handled yet; null while paused or after the last slot.</summary>
    public DateTimeOffset? NextFireAt { get; private set; }

    /// <summary>Bumped by every change, so that a fire and a concurrent edit, pause or delete exclude each other.</summary>
    public int Revision { get; private set; }

    private ScheduleCron CronSchedule => _cron ??= ScheduleCron.Restore(Cron, TimeZone);

    public static Schedule Create(
        string @namespace,
        Guid orchestratorId,
        ScheduleCron cron,
        IReadOnlyList<ActualStepParameters> actualParams,
        bool enabled,
        OverlapPolicy overlap,
        CatchupPolicy catchup,
        DateTimeOffset? startAt,
        DateTimeOffset? endAt,
        string createdBy,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        var schedule = new Schedule
        {
            Id = Guid.CreateVersion7(),
            Namespace = @namespace,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
        schedule.Define(orchestratorId, cron, actualParams, enabled, overlap, catchup, startAt, endAt, now);
        return schedule;
    }

    /// <summary>
    /// Replaces the definition. A change of timing (cron, zone, window, or enabling) starts from
    /// the first slot after <paramref name="now"/>: slots that passed while paused are not fired.
    /// </summary>
    public void Update(
        Guid orchestratorId,
        ScheduleCron cron,
        IReadOnlyList<ActualStepParameters> actualParams,
        bool enabled,
        OverlapPolicy overlap,
        CatchupPolicy catchup,
        DateTimeOffset? startAt,
        DateTimeOffset? endAt,
        DateTimeOffset now)
    {
        Define(orchestratorId, cron, actualParams, enabled, overlap, catchup, startAt, endAt, now);
        UpdatedAt = now;
    }

    /// <summary>Stops future fires at once; slots that pass while paused are not fired later.</summary>
    public void Pause(DateTimeOffset now)
    {
        Enabled = false;
        NextFireAt = null;
        UpdatedAt = now;
        Revision++;
    }

    /// <summary>Fires again from the first slot after <paramref name="now"/>.</summary>
    public void Resume(DateTimeOffset now)
    {
        Enabled = true;
        NextFireAt = FirstSlotAfter(now);
        UpdatedAt = now;
        Revision++;
    }

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="now"/>; none while paused.</summary>
    public IReadOnlyList<DateTimeOffset> NextFireTimes(DateTimeOffset now, int count)
    {
        var times = new List<DateTimeOffset>(count);
        if (!Enabled)
        {
            return times;
        }

        var next = FirstSlotAfter(now);
        while (next is { } slot && times.Count < count)
        {
            times.Add(slot);
            next = FirstSlotAfter(slot);
        }

        return times;
    }

    /// <summary>
    /// The slots from <see cref="NextFireAt"/> up to <paramref name="now"/>, oldest first, each
    /// marked whether it fires. A slot handled within the misfire grace is on time and fires;
    /// later ones ("late": the nodes were down or behind) fire as the catch-up policy says:
    /// none, the latest one, or the most recent ones up to the catch-up limit.
    /// </summary>
    public IReadOnlyList<DueSlot> DueSlots(DateTimeOffset now, ScheduleFiringRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var slots = new List<DateTimeOffset>();
        var next = Enabled ? NextFireAt : null;
        while (next is { } slot && slot <= now && slots.Count < rules.MaxSlotsPerPass)
        {
            slots.Add(slot);
            next = FirstSlotAfter(slot);
        }

        var late = slots.Count(s => now - s > rules.MisfireGrace);
        var lateThatFire = Catchup switch
        {
            CatchupPolicy.Last => Math.Min(late, 1),
            CatchupPolicy.All => Math.Min(late, rules.CatchupLimit),
            _ => 0,
        };

        // Late slots come first (oldest first); the last lateThatFire of them fire.
        return slots.Select((slot, i) => new DueSlot(slot, i >= late || i >= late - lateThatFire)).ToList();
    }

    /// <summary>
    /// What a slot that may fire does: with overlap skip and a run of the schedule still active
    /// it is skipped; with the namespace's queue full it is refused; otherwise it fires.
    /// <paramref name="queuedRuns"/> is counted after any cancel-previous took effect.
    /// </summary>
    public FireOutcome DecideFire(int activeRuns, int queuedRuns, QueuedRunLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (Overlap == OverlapPolicy.Skip && activeRuns > 0)
        {
            return FireOutcome.SkippedOverlap;
        }

        return queuedRuns >= limit.MaxQueuedPerNamespace ? FireOutcome.RefusedQueueLimit : FireOutcome.Fired;
    }

    /// <summary>Marks every slot up to <paramref name="handledSlot"/> handled: the next one is the first after it.</summary>
    public void Advance(DateTimeOffset handledSlot)
    {
        if (NextFireAt is null || handledSlot < NextFireAt)
        {
            throw new InvalidStateTransitionException($"Schedule {Id} has no due slot at {handledSlot:O} to advance past.");
        }

        NextFireAt = FirstSlotAfter(handledSlot);
        Revision++;
    }

    /// <summary>The first slot after <paramref name="after"/> inside the start/end window, or null.</summary>
    public DateTimeOffset? FirstSlotAfter(DateTimeOffset after)
    {
        var next = StartAt is { } start && after < start ? CronSchedule.NextFrom(start) : CronSchedule.NextAfter(after);
        return next is { } slot && EndAt is { } end && slot > end ? null : next;
    }

    private void Define(
        Guid orchestratorId,
        ScheduleCron cron,
        IReadOnlyList<ActualStepParameters> actualParams,
        bool enabled,
        OverlapPolicy overlap,
        CatchupPolicy catchup,
        DateTimeOffset? startAt,
        DateTimeOffset? endAt,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(actualParams);
        if (orchestratorId == Guid.Empty)
        {
            throw new DomainValidationException("OrchestratorId", "A schedule needs an orchestrator.");
        }

        if (actualParams.Count > MaxActualParams)
        {
            throw new DomainValidationException("ActualParams", $"A schedule has at most {MaxActualParams} parameter entries.");
        }

        if (startAt is { } start && endAt is { } end && end <= start)
        {
            throw new DomainValidationException("EndAt", "_endat must be after _startat.");
        }

        if (!Enum.IsDefined(overlap) || !Enum.IsDefined(catchup))
        {
            throw new DomainValidationException("Overlap", "Unknown overlap or catch-up policy.");
        }

        var timingChanged = !Enabled || Cron != cron.Expression || TimeZone != cron.TimeZone || StartAt != startAt || EndAt != endAt;
        OrchestratorId = orchestratorId;
        Cron = cron.Expression;
        TimeZone = cron.TimeZone;
        _cron = cron;
        ActualParams = actualParams;
        Overlap = overlap;
        Catchup = catchup;
        StartAt = startAt;
        EndAt = endAt;
        if (!enabled)
        {
            NextFireAt = null;
        }
        else if (timingChanged)
        {
            // Enabled now (or timing changed): fire from the first slot after now.
            Enabled = true;
            NextFireAt = FirstSlotAfter(now);
        }

        Enabled = enabled;
        Revision++;
    }
}
