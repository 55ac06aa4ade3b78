using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchRunService.Api.Contracts;

/// <summary>The body of POST and PUT /orchestrator.</summary>
public sealed class OrchestratorRequest
{
    /// <summary>On PUT, if given, must equal the path id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("_name")]
    public string? Name { get; init; }

    [JsonPropertyName("_description")]
    public string? Description { get; init; }

    [JsonPropertyName("_usertype")]
    public string? UserType { get; init; }

    [JsonPropertyName("steps")]
    public IReadOnlyList<OrchestratorStepRequest>? Steps { get; init; }
}

public sealed class OrchestratorStepRequest
{
    /// <summary>On PUT, an existing step's id keeps that step (and its id); leave out for a new step.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("_name")]
    public string? Name { get; init; }

    /// <summary>The connector's component id.</summary>
    [JsonPropertyName("_compid")]
    public string? ComponentId { get; init; }

    /// <summary>Execution order; defaults to the step's position (1-based).</summary>
    [JsonPropertyName("_sequenceno")]
    public int? SequenceNo { get; init; }

    /// <summary>Default parameters (a JSON object).</summary>
    [JsonPropertyName("_params")]
    public JsonElement? Params { get; init; }

    /// <summary>Time limit of one attempt, 1-86400 s; absent for none.</summary>
    [JsonPropertyName("_timeoutSeconds")]
    public int? TimeoutSeconds { get; init; }

    /// <summary>Retries after a failed attempt, 0-10 (default 0).</summary>
    [JsonPropertyName("_retries")]
    public int? Retries { get; init; }

    /// <summary>Wait before the first retry in ms (default 1000); doubles for each further retry.</summary>
    [JsonPropertyName("_retryDelayMs")]
    public int? RetryDelayMs { get; init; }
}
