using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules.Firing;

/// <summary>
/// Handles schedules' due slots in the namespace's serialised transaction (the one a run's
/// create uses, so the queued-run limit holds): every slot gets its record, a firing slot its run,
/// and the schedule moves past them, all in one commit. A second node handling the same slot
/// fails on the record's key and rolls back whole; so does a fire that raced an edit, pause or
/// delete of the schedule (its revision changed).
/// </summary>
public sealed class ScheduleFirer
{
    private readonly IScheduleRepository _schedules;
    private readonly IOrchestratorRepository _orchestrators;
    private readonly IOrchRunRepository _runs;
    private readonly QueuedRunLimit _limit;
    private readonly ScheduleSettings _settings;
    private readonly IRunQueueSignal _queueSignal;
    private readonly IRunCancellationSignal _cancellationSignal;
    private readonly TimeProvider _clock;

    public ScheduleFirer(
        IScheduleRepository schedules,
        IOrchestratorRepository orchestrators,
        IOrchRunRepository runs,
        QueuedRunLimit limit,
        ScheduleSettings settings,
        IRunQueueSignal queueSignal,
        IRunCancellationSignal cancellationSignal,
        TimeProvider clock)
    {
        _schedules = schedules;
        _orchestrators = orchestrators;
        _runs = runs;
        _limit = limit;
        _settings = settings;
        _queueSignal = queueSignal;
        _cancellationSignal = cancellationSignal;
        _clock = clock;
    }

    /// <summary>
    /// Handles the due slots of <paramref name="scheduleIds"/>, all of namespace
    /// <paramref name="namespace"/>, in one transaction (one commit for a burst of schedules due
    /// in the same second). Returns the records written (none when nothing was due any more).
    /// </summary>
    public async Task<IReadOnlyList<ScheduleFire>> FireDueSlotsAsync(string @namespace, IReadOnlyList<Guid> scheduleIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduleIds);
        var batch = new FiringBatch();
        await using (var transaction = await _runs.BeginNamespaceTransactionAsync(@namespace, cancellationToken))
        {
            batch.Queued = transaction.QueuedRuns;
            foreach (var id in scheduleIds)
            {
                // Read inside the transaction: a delete or pause committed before it is seen here.
                if (await _schedules.FindAsync(id, @namespace, cancellationToken) is { } schedule)
                {
                    await FireAsync(schedule, batch, cancellationToken);
                }
            }

            if (batch.Fires.Count == 0)
            {
                return batch.Fires;
            }

            foreach (var fire in batch.Fires)
            {
                _schedules.AddFire(fire);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Announce(batch);
        return batch.Fires;
    }

    private async Task FireAsync(Schedule schedule, FiringBatch batch, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var slots = schedule.DueSlots(now, _settings.Firing);
        if (slots.Count == 0)
        {
            return;
        }

        var active = slots.Any(s => s.Fires) ? (await _schedules.ListActiveRunsAsync(schedule.Id, cancellationToken)).ToList() : [];
        foreach (var slot in slots)
        {
            if (!slot.Fires)
            {
                batch.Fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Missed, null, MissedReason(schedule), now));
                continue;
            }

            if (schedule.Overlap == OverlapPolicy.CancelPrevious)
            {
                foreach (var previous in active)
                {
                    var wasQueued = previous.Status == OrchRunStatus.Queued;
                    if (previous.RequestCancel(now))
                    {
                        batch.Cancelled.Add(previous.Id);
                        batch.Queued -= wasQueued ? 1 : 0;
                    }
                }

                active.Clear();
            }

            var outcome = schedule.DecideFire(active.Count, batch.Queued, _limit);
            if (outcome == FireOutcome.SkippedOverlap)
            {
                batch.Fires.Add(new ScheduleFire(schedule.Id, slot.Slot, outcome, null, $"Run {active[0].Id} of this schedule is still {active[0].Status}.", now));
                continue;
            }

            if (outcome == FireOutcome.RefusedQueueLimit)
            {
                batch.Fires.Add(new ScheduleFire(schedule.Id, slot.Slot, outcome, null, $"Namespace '{schedule.Namespace}' already has {_limit.MaxQueuedPerNamespace} queued runs (Runs:MaxQueuedPerNamespace).", now));
                continue;
            }

            if (!batch.Orchestrators.TryGetValue(schedule.OrchestratorId, out var orchestrator))
            {
                orchestrator = await _orchestrators.FindAsync(schedule.OrchestratorId, schedule.Namespace, cancellationToken);
                batch.Orchestrators[schedule.OrchestratorId] = orchestrator;
            }

            var (newRun, problem) = TryCreateRun(schedule, orchestrator, slot.Slot, now);
            if (newRun is not { } run)
            {
                batch.Fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Failed, null, problem!, now));
                continue;
            }

            _runs.Add(run);
            batch.Created.Add(run);
            active.Add(run);
            batch.Queued++;
            batch.Fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Fired, run.Id, string.Empty, now));
        }

        schedule.Advance(slots[^1].Slot);
    }

    /// <summary>After the commit: wake this process's worker, stop cancelled runs here, count.</summary>
    private void Announce(FiringBatch batch)
    {
        foreach (var runId in batch.Cancelled)
        {
            _cancellationSignal.CancelRequested(runId);
        }

        foreach (var run in batch.Created)
        {
            OrchRunMetrics.RunCreated(run.Namespace);
            ScheduleMetrics.RunFired(run.CreatedAt - run.ScheduledFor!.Value);
        }

        foreach (var fire in batch.Fires)
        {
            ScheduleMetrics.SlotHandled(fire.Outcome);
        }

        if (batch.Created.Count > 0)
        {
            _queueSignal.RunQueued();
        }
    }

    private static (OrchRun? Run, string? Problem) TryCreateRun(Schedule schedule, Orchestrator? orchestrator, DateTimeOffset slot, DateTimeOffset now)
    {
        if (orchestrator is null)
        {
            return (null, $"Orchestrator '{schedule.OrchestratorId}' no longer exists in namespace '{schedule.Namespace}'.");
        }

        try
        {
            return (OrchRun.CreateScheduled(orchestrator, schedule.ActualParams, schedule.CreatedBy, now, schedule.Id, slot), null);
        }
        catch (DomainValidationException ex)
        {
            // The orchestrator changed since the schedule was saved (a step it names is gone).
            return (null, ex.Message);
        }
    }

    private string MissedReason(Schedule schedule) => schedule.Catchup switch
    {
        CatchupPolicy.None => $"Not fired within {_settings.Firing.MisfireGrace.TotalSeconds:0} s of its time (nodes down or behind); catch-up none.",
        CatchupPolicy.Last => "Not fired on time; catch-up last fires only the latest late slot.",
        _ => $"Not fired on time; catch-up all fires at most the {_settings.Firing.CatchupLimit} latest late slots.",
    };

    /// <summary>What one transaction has done so far.</summary>
    private sealed class FiringBatch
    {
        public List<ScheduleFire> Fires { get; } = [];

        public List<OrchRun> Created { get; } = [];

        public List<Guid> Cancelled { get; } = [];

        public Dictionary<Guid, Orchestrator?> Orchestrators { get; } = [];

        /// <summary>The namespace's QUEUED runs, counted at the start and kept up to date.</summary>
        public int Queued { get; set; }
    }
}
