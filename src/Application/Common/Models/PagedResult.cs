namespace OrchRunService.Application.Common.Models;

/// <summary>One page of a list plus the size of the whole (filtered) list.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total);
