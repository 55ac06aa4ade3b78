using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Application.Schedules;

/// <summary>Schedules and their slot records on the wire; the next fire times depend on the clock, so it is passed in.</summary>
public static class ScheduleMapper
{
    public static ScheduleDto ToDto(this Schedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new ScheduleDto
        {
            Id = schedule.Id,
            OrchestratorId = schedule.OrchestratorId,
            Cron = schedule.Cron,
            TimeZone = schedule.TimeZone,
            ActualParams = schedule.ActualParams
                .Select(p => new ScheduleParamDto { SequenceTypeId = p.SequenceTypeId, Params = WireFormat.ToJsonElement(p.Params) })
                .ToList(),
            Enabled = schedule.Enabled,
            Overlap = ScheduleWireNames.Of(schedule.Overlap),
            Catchup = ScheduleWireNames.Of(schedule.Catchup),
            StartAt = WireFormat.ToEpochMilliseconds(schedule.StartAt),
            EndAt = WireFormat.ToEpochMilliseconds(schedule.EndAt),
            CreatedBy = schedule.CreatedBy,
            CreatedAt = WireFormat.ToEpochMilliseconds(schedule.CreatedAt),
            UpdatedAt = WireFormat.ToEpochMilliseconds(schedule.UpdatedAt),
            NextFireAt = schedule.NextFireTimes(now, ScheduleSettings.NextFireTimesShown).Select(WireFormat.ToEpochMilliseconds).ToList(),
        };
    }

    public static ScheduleFireDto ToDto(this ScheduleFire fire)
    {
        ArgumentNullException.ThrowIfNull(fire);
        return new ScheduleFireDto
        {
            Slot = WireFormat.ToEpochMilliseconds(fire.Slot),
            Outcome = ScheduleWireNames.Of(fire.Outcome),
            RunId = fire.RunId,
            Reason = fire.Reason,
            RecordedAt = WireFormat.ToEpochMilliseconds(fire.RecordedAt),
        };
    }
}
