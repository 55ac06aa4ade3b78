using System.Text.Json.Serialization;

namespace OrchRunService.Application.Common.Models;

/// <summary>A list envelope: one page of items, where it starts, its size and how many match in all.</summary>
public sealed class PageDto<T>
{
    [JsonPropertyName("_offset")]
    public required int Offset { get; init; }

    [JsonPropertyName("_pageSize")]
    public required int PageSize { get; init; }

    /// <summary>How many items match the filter in all.</summary>
    [JsonPropertyName("_total")]
    public required int Total { get; init; }

    [JsonPropertyName("_list")]
    public required IReadOnlyList<T> List { get; init; }
}
