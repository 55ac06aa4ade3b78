using System.Text.Json.Serialization;

namespace OrchRunService.Api.Contracts;

/// <summary>The body of PUT /orchrun/{id}: the run's id again.</summary>
public sealed class CancelOrchRunRequest
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }
}
