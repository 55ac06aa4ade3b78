using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;

public sealed record ListOrchestratorsQuery(string Namespace, int? PageSize, int? Offset) : IQuery<PageDto<OrchestratorDto>>, INamespaceScoped;
