using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

/// <summary>
/// A page of the namespace's runs, newest first. <see cref="Status"/> is one status or a
/// comma-separated list; the dates are ISO 8601 dates or date-times, or epoch milliseconds;
/// <see cref="OrchestratorId"/> keeps one orchestrator's runs.
/// </summary>
public sealed record ListOrchRunsQuery(
    string Namespace,
    int? PageSize,
    int? Offset,
    string? Status,
    string? StartDate,
    string? EndDate,
    Guid? OrchestratorId = null) : IQuery<PageDto<OrchRunDto>>, INamespaceScoped;
