using System.Text.Json;

namespace OrchRunService.Application.Schedules;

/// <summary>The body of a schedule's create or update, as sent (validated by the command validators).</summary>
public sealed record ScheduleDefinitionInput(
    Guid? OrchestratorId,
    string? Cron,
    string? TimeZone,
    IReadOnlyList<ScheduleParamInput>? ActualParams,
    bool? Enabled,
    string? Overlap,
    string? Catchup,
    string? StartAt,
    string? EndAt);

/// <summary>One entry of <c>_actualparams</c>: the orchestrator step it is for and its parameters.</summary>
public sealed record ScheduleParamInput(string? SequenceTypeId, JsonElement? Params);
