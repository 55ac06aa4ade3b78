using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchRunService.Application.Orchestrators;

public sealed class OrchestratorStepDto
{
    /// <summary>The step id; a run's <c>sequence_type_id</c> names it.</summary>
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("_name")]
    public required string Name { get; init; }

    /// <summary>The connector's component id (test_connector is eced6368-2c1f-4186-acf0-3fa6e079e9a8).</summary>
    [JsonPropertyName("_compid")]
    public required Guid ComponentId { get; init; }

    [JsonPropertyName("_sequenceno")]
    public required int SequenceNo { get; init; }

    /// <summary>Default parameters, a JSON object; a run's actual parameters are laid over them.</summary>
    [JsonPropertyName("_params")]
    public required JsonElement Params { get; init; }
}
