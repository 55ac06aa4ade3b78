using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Common.Models;

/// <summary>
/// What the run list asks for. Both date bounds are inclusive and apply to the creation time;
/// an empty <see cref="Statuses"/> means every status.
/// </summary>
public sealed record OrchRunListFilter(
    string Namespace,
    int Offset,
    int PageSize,
    IReadOnlyCollection<OrchRunStatus> Statuses,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedUntil);
