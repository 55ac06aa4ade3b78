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

    /// <summary>Time limit of one attempt of the step, in seconds; absent for none.</summary>
    [JsonPropertyName("_timeoutSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutSeconds { get; init; }

    /// <summary>Retries after a failed attempt (0 = none).</summary>
    [JsonPropertyName("_retries")]
    public required int Retries { get; init; }

    /// <summary>Wait before the first retry in ms; it doubles for each further retry.</summary>
    [JsonPropertyName("_retryDelayMs")]
    public required int RetryDelayMs { get; init; }
}
