using System.Text.Json.Serialization;

namespace OrchRunService.Application.Connectors;

/// <summary>One parameter of a connector, as it reads it.</summary>
public sealed class ConnectorParameterDto
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>integer, string, object, array or any.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The value used when the param is absent, as JSON text; absent when there is none.</summary>
    [JsonPropertyName("default")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Default { get; init; }

    [JsonPropertyName("minimum")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Minimum { get; init; }

    [JsonPropertyName("maximum")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Maximum { get; init; }

    [JsonPropertyName("required")]
    public required bool Required { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }
}
