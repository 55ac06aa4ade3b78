using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Metrics;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules.Firing;

/// <summary>
/// Handles one schedule's due slots in the namespace's serialised transaction (the one a run's
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

    /// <summary>Returns the records written (0 when nothing was due any more).</summary>
    public async Task<IReadOnlyList<ScheduleFire>> FireDueSlotsAsync(DueSchedule due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var fires = new List<ScheduleFire>();
        var cancelled = new List<Guid>();
        var created = new List<OrchRun>();
        await using (var transaction = await _runs.BeginQueueAdmissionAsync(due.Namespace, cancellationToken))
        {
            // Read inside the transaction: a delete or pause committed before it is seen here.
            var schedule = await _schedules.FindAsync(due.Id, due.Namespace, cancellationToken);
            var now = _clock.GetUtcNow();
            var slots = schedule?.DueSlots(now, _settings.Firing) ?? [];
            if (schedule is null || slots.Count == 0)
            {
                return fires;
            }

            var queued = transaction.QueuedRuns;
            var active = slots.Any(s => s.Fires) ? (await _schedules.ListActiveRunsAsync(schedule.Id, cancellationToken)).ToList() : [];
            Orchestrator? orchestrator = null;
            foreach (var slot in slots)
            {
                if (!slot.Fires)
                {
                    fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Missed, null, MissedReason(schedule), now));
                    continue;
                }

                if (schedule.Overlap == OverlapPolicy.CancelPrevious)
                {
                    foreach (var previous in active)
                    {
                        var wasQueued = previous.Status == OrchRunStatus.Queued;
                        if (previous.RequestCancel(now))
                        {
                            cancelled.Add(previous.Id);
                            queued -= wasQueued ? 1 : 0;
                        }
                    }

                    active.Clear();
                }

                var outcome = schedule.DecideFire(active.Count, queued, _limit);
                if (outcome == FireOutcome.SkippedOverlap)
                {
                    fires.Add(new ScheduleFire(schedule.Id, slot.Slot, outcome, null, $"Run {active[0].Id} of this schedule is still {active[0].Status}.", now));
                    continue;
                }

                if (outcome == FireOutcome.RefusedQueueLimit)
                {
                    fires.Add(new ScheduleFire(schedule.Id, slot.Slot, outcome, null, $"Namespace '{schedule.Namespace}' already has {_limit.MaxQueuedPerNamespace} queued runs (Runs:MaxQueuedPerNamespace).", now));
                    continue;
                }

                orchestrator ??= await _orchestrators.FindAsync(schedule.OrchestratorId, schedule.Namespace, cancellationToken);
                var (newRun, problem) = TryCreateRun(schedule, orchestrator, slot.Slot, now);
                if (newRun is not { } run)
                {
                    fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Failed, null, problem!, now));
                    continue;
                }

                _runs.Add(run);
                created.Add(run);
                active.Add(run);
                queued++;
                fires.Add(new ScheduleFire(schedule.Id, slot.Slot, FireOutcome.Fired, run.Id, string.Empty, now));
            }

            foreach (var fire in fires)
            {
                _schedules.AddFire(fire);
            }

            schedule.Advance(slots[^1].Slot);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var runId in cancelled)
        {
            _cancellationSignal.CancelRequested(runId);
        }

        foreach (var run in created)
        {
            OrchRunMetrics.RunCreated(run.Namespace);
            ScheduleMetrics.RunFired(run.CreatedAt - run.ScheduledFor!.Value);
        }

        foreach (var fire in fires)
        {
            ScheduleMetrics.SlotHandled(fire.Outcome);
        }

        if (created.Count > 0)
        {
            _queueSignal.RunQueued();
        }

        return fires;
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
}
