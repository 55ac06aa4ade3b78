using System.Text.Json.Serialization;

namespace OrchRunService.Application.Orchestrators;

/// <summary>The orchestrator list envelope (same shape as the run list).</summary>
public sealed class OrchestratorPageDto
{
    [JsonPropertyName("_offset")]
    public required int Offset { get; init; }

    [JsonPropertyName("_pageSize")]
    public required int PageSize { get; init; }

    [JsonPropertyName("_total")]
    public required int Total { get; init; }

    [JsonPropertyName("_list")]
    public required IReadOnlyList<OrchestratorDto> List { get; init; }
}
