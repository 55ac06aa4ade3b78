using System.Text.Json.Serialization;

namespace OrchRunService.Application.OrchRuns;

/// <summary>The run list envelope.</summary>
public sealed class OrchRunPageDto
{
    [JsonPropertyName("_offset")]
    public required int Offset { get; init; }

    [JsonPropertyName("_pageSize")]
    public required int PageSize { get; init; }

    /// <summary>How many runs match the filter in all.</summary>
    [JsonPropertyName("_total")]
    public required int Total { get; init; }

    [JsonPropertyName("_list")]
    public required IReadOnlyList<OrchRunDto> List { get; init; }
}
