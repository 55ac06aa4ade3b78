using System.Text.Json.Serialization;

namespace OrchRunService.Application.Connectors;

/// <summary>A connector this service runs: what a step's <c>_compid</c> names, and the params it reads.</summary>
public sealed class ConnectorDto
{
    /// <summary>The component id a step's <c>_compid</c> gives.</summary>
    [JsonPropertyName("id")]
    public required Guid Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("parameters")]
    public required IReadOnlyList<ConnectorParameterDto> Parameters { get; init; }
}
