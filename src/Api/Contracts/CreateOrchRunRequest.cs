using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchRunService.Api.Contracts;

/// <summary>The body of POST /orchrun. Names bind case-insensitively (<c>_actualParams</c> is <c>_actualparams</c>).</summary>
public sealed class CreateOrchRunRequest
{
    /// <summary>The orchestrator to run (of the nsfilter namespace).</summary>
    [JsonPropertyName("orchestratorId")]
    public string? OrchestratorId { get; init; }

    /// <summary>Per-step parameters; an empty array when no step has any.</summary>
    [JsonPropertyName("_actualparams")]
    public IReadOnlyList<ActualParamRequest>? ActualParams { get; init; }
}

public sealed class ActualParamRequest
{
    /// <summary>The orchestrator step's id (<c>orchstepid</c> of the run step).</summary>
    [JsonPropertyName("sequence_type_id")]
    public string? SequenceTypeId { get; init; }

    /// <summary>A JSON object of parameters for that step.</summary>
    [JsonPropertyName("params")]
    public JsonElement? Params { get; init; }
}
