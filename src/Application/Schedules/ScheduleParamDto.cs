using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchRunService.Application.Schedules;

/// <summary>One entry of a schedule's <c>_actualparams</c>, as for a run's create.</summary>
public sealed class ScheduleParamDto
{
    /// <summary>The orchestrator step's id.</summary>
    [JsonPropertyName("sequence_type_id")]
    public required string SequenceTypeId { get; init; }

    /// <summary>A JSON object of parameters for that step.</summary>
    [JsonPropertyName("params")]
    public required JsonElement Params { get; init; }
}
