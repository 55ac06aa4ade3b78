using System.Text.Json.Serialization;

namespace OrchRunService.Application.Orchestrators;

/// <summary>An orchestrator definition: the steps a run of it executes.</summary>
public sealed class OrchestratorDto
{
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("_name")]
    public required string Name { get; init; }

    [JsonPropertyName("_description")]
    public required string Description { get; init; }

    [JsonPropertyName("_namespaces")]
    public required IReadOnlyList<string> Namespaces { get; init; }

    [JsonPropertyName("_usertype")]
    public required string UserType { get; init; }

    /// <summary>Unix epoch milliseconds, as a string.</summary>
    [JsonPropertyName("_createdat")]
    public required string CreatedAt { get; init; }

    /// <summary>Unix epoch milliseconds, as a string; absent until the definition first changes.</summary>
    [JsonPropertyName("_updatedat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpdatedAt { get; init; }

    [JsonPropertyName("steps")]
    public required IReadOnlyList<OrchestratorStepDto> Steps { get; init; }
}
