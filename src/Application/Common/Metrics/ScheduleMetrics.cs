using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrchRunService.Application.Schedules;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Common.Metrics;

/// <summary>
/// Schedule firing on the service's meter: <c>orchrun_schedule_slots_total{outcome}</c> (fired,
/// skipped-overlap, refused-queue-limit, missed, failed) and <c>orchrun_schedule_fire_lag_seconds</c>
/// (slot to run creation).
/// </summary>
public static class ScheduleMetrics
{
    private static readonly Counter<long> Slots = OrchRunMetrics.SharedMeter.CreateCounter<long>(
        "orchrun.schedule.slots", "{slot}", "Schedule slots handled, by outcome.");

    private static readonly Histogram<double> FireLag = OrchRunMetrics.SharedMeter.CreateHistogram(
        "orchrun.schedule.fire.lag",
        "s",
        "Time from a schedule's slot to the creation of its run.",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    public static void SlotHandled(FireOutcome outcome) => Slots.Add(1, new TagList { { "outcome", ScheduleWireNames.Of(outcome) } });

    public static void RunFired(TimeSpan lag) => FireLag.Record(Math.Max(0, lag.TotalSeconds));
}
